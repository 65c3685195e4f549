using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace CableService.Tests.Functional;

public sealed class HostTests(ServiceHost host) : IClassFixture<ServiceHost>
{
    [Fact]
    public async Task Health_is_serving_once_the_database_is_ready()
    {
        var health = new Health.HealthClient(host.Channel);
        var response = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
        // By the service's full name too, as health clients and Kubernetes probes with `service:` ask.
        var service = await health.CheckAsync(new HealthCheckRequest { Service = "cables.v1.CableArchive" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, service.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_cables_service_and_describes_it()
    {
        var reflection = new ServerReflection.ServerReflectionClient(host.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "cables.v1.CableArchive" });
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("cables.v1.CableArchive", services);
        Assert.Contains("grpc.health.v1.Health", services);

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.NotEmpty(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto);
    }
}
