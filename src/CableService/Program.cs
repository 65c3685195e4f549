using CableService.Hosting;
using CableService.Operations;
using CableService.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.AddCableDatabase();
builder.AddCableGrpc();
builder.AddHealthProbes();
builder.AddGracefulShutdown();
builder.AddCableTelemetry();

var app = builder.Build();
app.MapCableEndpoints();
await app.RunAsync();
