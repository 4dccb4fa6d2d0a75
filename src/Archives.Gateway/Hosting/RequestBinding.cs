using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Archives.Gateway.Hosting;

/// <summary>
/// Bodies and queries are bound by the framework, and what it cannot bind is answered in one way: a 400 naming the
/// JSON path of the bad member (<see cref="BadRequestHandler"/>), a 413 naming the body and its limit, a 415 saying
/// the body is JSON.
/// </summary>
internal static class RequestBinding
{
    public static IServiceCollection AddRequestBinding(this IServiceCollection services)
    {
        // By default only Development throws binding failures; elsewhere an empty 400 would be written that names nothing.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestHandler>();

        // The framework answers a body over the endpoint's limit with 413 and one that is not JSON with 415, without a
        // body; UseStatusCodePages writes them as problems, and these are their words.
        services.Configure<ProblemDetailsOptions>(options =>
        {
            var previous = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                var problem = context.ProblemDetails;
                if (problem.Status == StatusCodes.Status413PayloadTooLarge && !problem.Extensions.ContainsKey("errors"))
                {
                    problem.Title = "Body too large";
                    problem.Extensions["errors"] = new Dictionary<string, string[]>(StringComparer.Ordinal)
                    {
                        ["body"] = [$"The body has at most {Limit(context.HttpContext)} bytes."],
                    };
                }
                else if (problem.Status == StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
                {
                    problem.Title = "Unsupported media type";
                    problem.Detail = "The body is application/json.";
                }
            };
        });
        return services;
    }

    /// <summary>
    /// Reads <paramref name="bodies"/> and every record they contain with unknown members refused (as the contracts
    /// require) and no member required: a missing one is then reported by the handler's validation under its own
    /// name, with the other problems of the request, instead of as the serializer's message about the whole object.
    /// The OpenAPI document still states what the contract requires.
    /// </summary>
    public static IServiceCollection AddRequestBodies(this IServiceCollection services, params Type[] bodies)
    {
        var read = new HashSet<Type>();
        foreach (var body in bodies)
        {
            AddWithMembers(body, body.Assembly, read);
        }

        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolver =
            (options.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
            {
                if (info.Kind != JsonTypeInfoKind.Object || !read.Contains(info.Type))
                {
                    return;
                }

                info.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                foreach (var property in info.Properties)
                {
                    property.IsRequired = false;
                }
            }));
        return services;
    }

    /// <summary>The limit the endpoint declares (<c>RequestSizeLimit</c>), else the server's.</summary>
    private static long? Limit(HttpContext context)
        => context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;

    /// <summary>The type and the records its properties hold, directly or as the elements of a list, from the body's own assembly.</summary>
    private static void AddWithMembers(Type type, Assembly contracts, HashSet<Type> read)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var element = type.IsArray ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        if (element is not null && type != typeof(string))
        {
            AddWithMembers(element, contracts, read);
        }
        else if (type.Assembly == contracts && !type.IsEnum && read.Add(type))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                AddWithMembers(property.PropertyType, contracts, read);
            }
        }
    }
}
