// Namespaces most files of this project use, imported once here.
global using Cables.Parsing.Model;
global using Cables.Testing;
global using Npgsql;
