// Namespaces most files of this project use, imported once here.
global using CableService.Ingest;
global using CableService.Tests.Functional;
global using Cables.Testing;
global using Google.Rpc;
global using Grpc.Core;
global using Microsoft.Extensions.DependencyInjection;
global using Api = Cables.Api.V1;
