// Namespaces most files of this project use, imported once here.
global using System.Globalization;
global using System.Text;
global using Cables.Parsing.Fields;
global using Cables.Parsing.Formats;
global using Cables.Parsing.Model;
global using Cables.Testing;
global using Xunit.Abstractions;
