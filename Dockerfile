# syntax=docker/dockerfile:1
# CableService: built with the .NET 10 SDK, run on the ASP.NET Core runtime as a non-root user.
#
#   docker build -t cableservice .                                  # the service (the last stage)
#   docker build -t cableservice-migrate --target migrate .         # the schema migrations, run as a job
#
# The service image does not migrate at start-up (Cables__MigrateOnStart=false): with several replicas
# starting together, one migration job is the only safe writer of the schema. See deploy/README.md.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Restore from the project files alone, so this layer is reused until a package or a reference changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Cables.Parsing/Cables.Parsing.csproj src/Cables.Parsing/
COPY src/Cables.Contracts/Cables.Contracts.csproj src/Cables.Contracts/
COPY src/Cables.Storage/Cables.Storage.csproj src/Cables.Storage/
COPY src/CableService/CableService.csproj src/CableService/
RUN dotnet restore src/CableService/CableService.csproj
COPY protos/ protos/
COPY src/Cables.Parsing/ src/Cables.Parsing/
COPY src/Cables.Contracts/ src/Cables.Contracts/
COPY src/Cables.Storage/ src/Cables.Storage/
COPY src/CableService/ src/CableService/
RUN dotnet publish src/CableService/CableService.csproj -c Release --no-restore -o /app -p:UseAppHost=false

# EF Core migrations bundle: one executable that applies the pending migrations and exits.
FROM build AS migrate-build
COPY .config/dotnet-tools.json .config/
RUN dotnet tool restore \
 && dotnet ef migrations bundle --project src/Cables.Storage --startup-project src/Cables.Storage \
      --configuration Release --output /out/efbundle

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS migrate
WORKDIR /app
COPY --from=migrate-build /out/efbundle ./
USER $APP_UID
# The connection string comes from the same variable the service reads.
ENTRYPOINT ["/bin/sh", "-c", "exec ./efbundle --connection \"$CABLES_DATABASE\" \"$@\"", "efbundle"]

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS service
WORKDIR /app
COPY --from=build /app ./
# One ENV per line: deploy/smoke-nonroot.sh reads them to run the published app with this environment.
# h2c only: gRPC over cleartext HTTP/2 on 8080; ASPNETCORE_HTTP_PORTS is emptied so ASPNETCORE_URLS alone binds.
ENV ASPNETCORE_URLS=http://+:8080
ENV ASPNETCORE_HTTP_PORTS=
ENV Kestrel__EndpointDefaults__Protocols=Http2
ENV Cables__MigrateOnStart=false
# Authentication on: JWT bearer tokens checked against the public key mounted here from a Secret; the issuer and the
# audience come from the deployment (Cables__Auth__Issuer, Cables__Auth__Audience). Without them the service does not start.
ENV Cables__Auth__Mode=Jwt
ENV Cables__Auth__SigningKeyFiles__0=/etc/cables/auth/signing-key.pub.pem
EXPOSE 8080
# APP_UID (1654, user "app") is defined by the base image; numeric so runAsNonRoot can verify it.
USER $APP_UID
ENTRYPOINT ["dotnet", "CableService.dll"]
