global using static Archives.Gateway.Tests.Fixtures.Test;
