namespace Cables.Storage.Tests;

/// <summary>
/// The change log: every created and revised cable is logged by the transaction that wrote it, readers take only what
/// lies below the safe horizon, and transactions that declare themselves quiet (the search indexer) do not hold it back.
/// </summary>
public sealed class ChangeLogTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly CableStore _store = database.CreateStore();

    [Fact]
    public async Task Created_revised_and_unchanged_cables_are_logged_as_what_happened_to_them()
    {
        var start = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None));
        var cable = TestCables.ToStore(TestCables.Make(3001));
        await _store.IngestAsync([cable, TestCables.ToStore(TestCables.Make(3002))], CancellationToken.None); // COPY path
        await _store.IngestAsync([cable], CancellationToken.None); // unchanged: nothing logged
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3001), "edited text")], CancellationToken.None);

        var changes = await ReadOwnAsync(start, "06TEST3001", "07TEST3002");

        Assert.Equal(
            [(ChangeKind.Created, "06TEST3001"), (ChangeKind.Created, "07TEST3002"), (ChangeKind.Revised, "06TEST3001")],
            changes.Select(c => (c.Kind, c.ReferenceId)).OrderBy(c => c.Kind).ThenBy(c => c.ReferenceId, StringComparer.Ordinal));
        Assert.True(changes.Zip(changes.Skip(1)).All(p => p.First.Position < p.Second.Position));
        Assert.Equal(changes.Count, changes.Select(c => c.Position).Distinct().Count());
    }

    [Fact]
    public async Task A_change_carries_the_fields_it_wrote_and_its_cable_reads_as_it_is_now()
    {
        var start = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None));
        var created = TestCables.Make(3301);
        var revised = created with
        {
            Origin = "Embassy Sanaa",
            Classification = created.Classification with { Level = ClassificationLevel.Secret, Caveats = ["NOFORN"] },
            Tags = [new CableTag("PTER", TagKind.Subject)],
            RawTags = ["PTER"],
        };
        await _store.IngestAsync([TestCables.ToStore(created)], CancellationToken.None);
        await _store.IngestAsync([TestCables.ToStore(revised, "revised text")], CancellationToken.None);

        var changes = await ReadOwnAsync(start, created.ReferenceId!);

        Assert.Equal([ChangeKind.Created, ChangeKind.Revised], changes.Select(c => c.Kind));
        Assert.Equal(FieldsOf(created), changes[0].Fields, FilterFieldsComparer.Instance);
        Assert.Equal(FieldsOf(revised), changes[1].Fields, FilterFieldsComparer.Instance);
        var cables = await _store.ReadChangedCablesAsync(changes, CancellationToken.None);
        Assert.Equal(changes, cables.Select(c => c.Change));
        Assert.All(cables, c => Assert.Equal(FieldsOf(revised), c.Fields, FilterFieldsComparer.Instance));
        Assert.All(cables, c => Assert.Equal("PTER", Cables.Api.V1.Cable.Parser.ParseFrom(c.Cable.Message).Tags.Single()));
        Assert.Empty(await _store.ReadChangedCablesAsync([changes[0] with { ReferenceId = "99NOSUCHCABLE" }], CancellationToken.None));
    }

    [Fact]
    public async Task A_running_writer_holds_the_horizon_and_a_quiet_transaction_does_not()
    {
        await using var quiet = await database.DataSource.OpenConnectionAsync();
        await using var quietTransaction = await quiet.BeginTransactionAsync();
        await using (var declare = new NpgsqlCommand(ChangeSql.DeclareQuiet, quiet, quietTransaction))
        {
            await declare.ExecuteNonQueryAsync();
        }

        var quietXid = await ScalarAsync(quiet, quietTransaction, "SELECT pg_current_xact_id()::text::bigint");

        // The horizon passes the open quiet transaction once a later one completes (no snapshot sees past the newest
        // completed id). Other tests share the cluster's transaction ids, so it is awaited, not read once.
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3201))], CancellationToken.None);
        await database.HorizonAboveAsync(quietXid);

        await using var writer = await database.DataSource.OpenConnectionAsync();
        await using var writerTransaction = await writer.BeginTransactionAsync();
        var writerXid = await ScalarAsync(writer, writerTransaction, "SELECT pg_current_xact_id()::text::bigint");
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3202))], CancellationToken.None);

        Assert.True(await _store.GetChangeHorizonAsync(CancellationToken.None) <= writerXid);

        await writerTransaction.RollbackAsync();
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3203))], CancellationToken.None);
        await database.HorizonAboveAsync(writerXid);
    }

    [Fact]
    public async Task Pruning_leaves_a_marker_and_a_position_before_it_expires()
    {
        var start = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None));
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3101))], CancellationToken.None);
        await database.HorizonPastWritesAsync(); // the pruner takes only what lies below the horizon

        Assert.Equal(0, await _store.PruneChangesAsync(TimeSpan.FromDays(1), CancellationToken.None));
        Assert.True(await _store.PruneChangesAsync(TimeSpan.Zero, CancellationToken.None) > 0);
        var after = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None));

        var pruned = await _store.GetPrunedPositionAsync(CancellationToken.None);
        Assert.True(start <= pruned && pruned <= after, $"pruned up to {pruned}, outside [{start}, {after}]");
        var expired = await Assert.ThrowsAsync<ChangePositionExpiredException>(() => ReadAllAsync(start));
        Assert.Equal(pruned, expired.Pruned);
        Assert.Empty(await ReadAllAsync(pruned));
    }

    /// <summary>
    /// This test's own changes after <paramref name="after"/>: a horizon is cluster-wide, so while another test's
    /// transaction is open, the changes the previous tests of this class committed can lie above it.
    /// </summary>
    private async Task<List<CableChange>> ReadOwnAsync(ChangePosition after, params string[] referenceIds) =>
        [.. (await ReadAllAsync(after)).Where(c => referenceIds.Contains(c.ReferenceId))];

    /// <summary>Every change after <paramref name="after"/> up to a horizon past this test's own writes.</summary>
    private async Task<List<CableChange>> ReadAllAsync(ChangePosition after)
    {
        await database.HorizonPastWritesAsync();
        var horizon = await _store.GetChangeHorizonAsync(CancellationToken.None);
        var all = new List<CableChange>();
        for (IReadOnlyList<CableChange> chunk; (chunk = await _store.ReadChangesAsync(after, horizon, 2, CancellationToken.None)).Count > 0;)
        {
            all.AddRange(chunk);
            after = chunk[^1].Position;
        }

        return all;
    }

    private static FilterFields FieldsOf(ParsedCable cable) => new(
        cable.Created!.Value, cable.Origin, cable.Classification.Level, [.. cable.Tags.Select(t => t.Value)], cable.Classification.Caveats);

    /// <summary>Records compare their lists by reference; these compare them by content.</summary>
    private sealed class FilterFieldsComparer : IEqualityComparer<FilterFields>
    {
        public static readonly FilterFieldsComparer Instance = new();

        public bool Equals(FilterFields? x, FilterFields? y) =>
            x is not null && y is not null && x.Created == y.Created && x.Origin == y.Origin && x.Classification == y.Classification
            && x.Tags.SequenceEqual(y.Tags) && x.Caveats.SequenceEqual(y.Caveats);

        public int GetHashCode(FilterFields obj) => obj.Origin?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
