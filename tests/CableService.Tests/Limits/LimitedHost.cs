namespace CableService.Tests.Limits;

/// <summary>A fresh database and the real service over it with limits of a test's own, disposed together.</summary>
internal sealed class LimitedHost : IAsyncDisposable
{
    private LimitedHost(TestDatabase database, TestServiceHost host)
    {
        Database = database;
        Host = host;
    }

    public TestDatabase Database { get; }

    public TestServiceHost Host { get; }

    /// <summary>Starts the service with <paramref name="settings"/>; <paramref name="connect"/> may give it another connection string.</summary>
    public static async Task<LimitedHost> StartAsync(IReadOnlyDictionary<string, string?> settings, Func<TestDatabase, Task<string>>? connect = null)
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        var connectionString = connect is null ? database.ConnectionString : await connect(database);
        var host = await TestServiceHost.StartAsync(connectionString, new TestServiceHostOptions { Settings = settings });
        return new LimitedHost(database, host);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
