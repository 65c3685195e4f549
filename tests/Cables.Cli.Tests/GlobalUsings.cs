// Namespaces most files of this project use, imported once here.
global using System.Text.Json;
global using Cables.Cli.Commands;
global using Cables.Cli.Ingestion;
global using Cables.Cli.Inputs;
global using Cables.Cli.Tests.Fakes;
global using Cables.Testing;
global using V1 = Cables.Api.V1;
