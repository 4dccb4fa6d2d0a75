global using static Archives.Gateway.Tests.Fixtures.Test;
using Archives.Testing;

// One real identity server (a child process) for the whole project: the gateway gets its node
// token from it, test nodes accept only its node.api tokens, and callers' tokens come from it.
[assembly: AssemblyFixture(typeof(IdentityServerFixture))]
