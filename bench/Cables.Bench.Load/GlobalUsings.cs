global using CablesClient = global::Cables.Api.V1.Cables.CablesClient;
