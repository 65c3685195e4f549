// Namespaces most files of this project use, imported once here.
global using V1 = Cables.Api.V1;
