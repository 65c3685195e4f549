using CableService.Ingest;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CableService.Telemetry;

public static class TelemetryExtensions
{
    private const string DefaultServiceName = "cableservice";

    /// <summary>
    /// Traces (gRPC server calls, Npgsql commands and COPY operations, the service's own spans), metrics (the service's
    /// instruments, Npgsql's pool and command metrics, ASP.NET Core, the runtime) and logs through OpenTelemetry.
    /// Exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set; tests add their own exporters with
    /// ConfigureOpenTelemetryTracerProvider / ConfigureOpenTelemetryMeterProvider.
    /// </summary>
    public static WebApplicationBuilder AddCableTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName;
        var version = typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString();

        var openTelemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version))
            .WithTracing(tracing => tracing
                .AddSource(CableTelemetry.Name)
                .AddAspNetCoreInstrumentation(options => options.Filter = IsTracedRequest)
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(CableTelemetry.Name, IngestMetrics.MeterName)
                .AddNpgsqlInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation())
            .WithLogging(configureBuilder: null, configureOptions: options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            openTelemetry.UseOtlpExporter();
        }
        return builder;
    }

    // Probes call the health service every few seconds and tools call reflection: neither is worth a trace.
    private static bool IsTracedRequest(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal)
        && !context.Request.Path.StartsWithSegments("/grpc.reflection", StringComparison.Ordinal);
}
