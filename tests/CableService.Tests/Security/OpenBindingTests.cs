using CableService.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace CableService.Tests.Security;

/// <summary>Without authentication the service binds loopback only, unless Cables:Auth:Mode=None says otherwise.</summary>
public sealed class OpenBindingTests
{
    [Theory]
    [InlineData("urls", "http://0.0.0.0:6000")]
    [InlineData("urls", "http://+:8080")]
    [InlineData("urls", "http://127.0.0.1:5080;http://10.1.2.3:5080")]
    [InlineData("urls", "http://cables.example.org:5080")]
    [InlineData("Kestrel:Endpoints:Public:Url", "http://*:7000")]
    public void A_service_without_authentication_refuses_to_start_on_an_address_beyond_loopback(string key, string value)
    {
        var builder = Builder(new() { [key] = value });
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddCableService());
        Assert.Contains("Cables:Auth:Mode=None", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    public void A_service_without_authentication_starts_on_loopback(string url)
    {
        using var app = Builder(new() { ["urls"] = url }).AddCableService().Build();
        Assert.NotNull(app);
    }

    [Fact]
    public void An_explicit_mode_none_may_bind_any_address()
    {
        using var app = Builder(new() { ["urls"] = "http://0.0.0.0:6000", ["Cables:Auth:Mode"] = "None" }).AddCableService().Build();
        Assert.NotNull(app);
    }

    private static WebApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CABLES_DATABASE"] = "Host=127.0.0.1;Port=1;Database=unused",
            ["Cables:MigrateOnStart"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
