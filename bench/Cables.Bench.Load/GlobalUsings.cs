global using CableArchiveClient = global::Cables.Api.V1.CableArchive.CableArchiveClient;
