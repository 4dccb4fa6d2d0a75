using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Archives.Gateway.Certificates;

/// <summary>
/// Checks what a client sends to the certificate API: the <c>Idempotency-Key</c> header and the issuing request
/// (the framework has bound the JSON bodies). Every error names its field (a JSON path, or the header's name).
/// </summary>
internal static class CertificateRequests
{
    /// <summary>
    /// The key, per the IETF httpapi Idempotency-Key draft: a structured-field string (<c>"…"</c>), also
    /// accepted bare; 1 to 255 printable ASCII characters; exactly one header.
    /// </summary>
    public static bool TryReadIdempotencyKey(HttpRequest request, out string key, out string error)
    {
        key = "";
        var values = request.Headers[IdempotencyKey.Header];
        if (values.Count == 0)
        {
            error = "The Idempotency-Key header is required: a fresh unique value (a UUID) per certificate wanted, the same value on every retry.";
            return false;
        }

        if (values.Count > 1 || values[0] is not { } raw)
        {
            error = "Send one Idempotency-Key header.";
            return false;
        }

        var text = raw.Trim();
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1];
        }

        if (text.Length == 0 || text.Length > CertificateLimits.MaxIdempotencyKeyLength)
        {
            error = $"The Idempotency-Key has 1 to {CertificateLimits.MaxIdempotencyKeyLength} characters.";
            return false;
        }

        if (text.Any(c => c is < '!' or > '~' or '"' or '\\'))
        {
            error = "The Idempotency-Key is a string of printable ASCII characters without spaces, quotes or backslashes (a UUID fits).";
            return false;
        }

        key = text;
        error = "";
        return true;
    }

    /// <summary>Checks an issuing request against the caller and returns it trimmed; errors keyed by JSON path.</summary>
    public static CertificateRequest? Validate(CertificateRequest body, Caller caller, TimeProvider time, Dictionary<string, string[]> errors)
    {
        var record = body.Record;
        if (record is null)
        {
            errors["record"] = ["'record' is required: { nodeId, recordId }."];
        }
        else
        {
            if (string.IsNullOrWhiteSpace(record.NodeId) || record.NodeId.Trim().Length > 64)
            {
                errors["record.nodeId"] = ["'record.nodeId' is the holding node's id (1 to 64 characters)."];
            }

            if (string.IsNullOrWhiteSpace(record.RecordId) || record.RecordId.Trim().Length > NodeContract.MaxRecordIdLength
                || !record.RecordId.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                errors["record.recordId"] = [$"'record.recordId' is the record's id at the node: 1 to {NodeContract.MaxRecordIdLength} ASCII letters, digits, '-', '_', '.' or ':'."];
            }
            else if (IdNumber.TryParse(record.RecordId.Trim(), out _, out _))
            {
                // Note: the record id goes into the node's URL (and so into access logs); a national ID number never may.
                errors["record.recordId"] = ["'record.recordId' is a national ID number, not a record id; the subject goes in 'subject'."];
            }
        }

        var subject = SubjectValidation.Validate(body.Subject, SubjectFields.Body, time, errors);
        var purpose = Text(body.Purpose, "purpose", CertificateLimits.MaxPurposeLength, required: true, errors, "'purpose' (查档用途) is required.");
        if (body.Use is null)
        {
            errors["use"] = [$"'use' (利用方式) is required: one of {string.Join(", ", MannerOfUse.All.Select(u => u.Code))}."];
        }

        var applicant = ValidateApplicant(body.Applicant, errors);
        var channel = ValidateChannel(body.IssuedVia, caller, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return body with
        {
            Record = new CertificateRecordReference { NodeId = record!.NodeId.Trim(), RecordId = record.RecordId.Trim() },
            Subject = subject!,
            Purpose = purpose!,
            Applicant = applicant!,
            IssuedVia = channel!,
        };
    }

    private static CertificateApplicant? ValidateApplicant(CertificateApplicant? applicant, Dictionary<string, string[]> errors)
    {
        if (applicant is null)
        {
            errors["applicant"] = ["'applicant' is required: { relation: self | agent | official, … }."];
            return null;
        }

        if (!Enum.IsDefined(applicant.Relation))
        {
            errors["applicant.relation"] = ["'applicant.relation' is self, agent or official."];
            return null;
        }

        var agent = applicant.Relation == ApplicantRelation.Agent;
        var official = applicant.Relation == ApplicantRelation.Official;
        var name = Text(applicant.Name, "applicant.name", CertificateLimits.MaxNameLength, agent || official, errors,
            "'applicant.name' is required for an agent or an official.");
        var attorney = Text(applicant.PowerOfAttorneyReference, "applicant.powerOfAttorneyReference", CertificateLimits.MaxReferenceLength, agent, errors,
            "'applicant.powerOfAttorneyReference' (授权委托书) is required for an agent.");
        var organisation = Text(applicant.Organisation, "applicant.organisation", CertificateLimits.MaxNameLength, official, errors,
            "'applicant.organisation' is required for an official.");
        var letter = Text(applicant.LetterReference, "applicant.letterReference", CertificateLimits.MaxReferenceLength, official, errors,
            "'applicant.letterReference' (介绍信/公函) is required for an official.");

        // Only what the relation calls for is kept (and printed).
        return new CertificateApplicant
        {
            Relation = applicant.Relation,
            Name = agent || official ? name : null,
            PowerOfAttorneyReference = agent ? attorney : null,
            Organisation = official ? organisation : null,
            LetterReference = official ? letter : null,
        };
    }

    private static CertificateChannel? ValidateChannel(CertificateChannel? channel, Caller caller, Dictionary<string, string[]> errors)
    {
        if (channel is null)
        {
            errors["issuedVia"] = ["'issuedVia' is required: { kind: hall | online | partner, hall?, name? }."];
            return null;
        }

        if (!Enum.IsDefined(channel.Kind))
        {
            errors["issuedVia.kind"] = ["'issuedVia.kind' is hall, online or partner."];
            return null;
        }

        var name = Text(channel.Name, "issuedVia.name", CertificateLimits.MaxNameLength, required: false, errors, "");
        if (channel.Kind == IssuingChannelKind.Hall)
        {
            if (caller.Hall is { } own && channel.Hall is { } given && given != own)
            {
                errors["issuedVia.hall"] = [$"A clerk issues at their own hall ({own.Value})."];
            }
            else if (caller.Hall is null && channel.Hall is null)
            {
                errors["issuedVia.hall"] = ["'issuedVia.hall' (the hall's division code) is required for kind hall."];
            }
        }

        return channel with { Name = name };
    }

    private static string? Text(string? value, string field, int max, bool required, Dictionary<string, string[]> errors, string missing)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors[field] = [missing];
            }

            return null;
        }

        if (text.Length > max || text.Any(char.IsControl))
        {
            errors[field] = [$"'{field}' has at most {max} characters and no control characters."];
            return null;
        }

        return text;
    }

    public static ProblemHttpResult Invalid(string field, string message)
        => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
        });

    /// <summary>A problem with a status other than 400 that still names the field.</summary>
    public static ProblemHttpResult FieldProblem(int status, string title, string field, string message)
        => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] }) { Status = status, Title = title });
}
