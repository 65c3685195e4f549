using CableService.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCableService();

var app = builder.Build();
app.MapCableEndpoints();
await app.RunAsync();
