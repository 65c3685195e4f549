// Namespaces most files of this project use, imported once here.
global using Api = Cables.Api.V1;
