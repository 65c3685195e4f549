using CableService.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCableDatabase();
builder.AddCableGrpc();

var app = builder.Build();
app.MapCableEndpoints();
await app.RunAsync();
