namespace Cables.Storage.Tests;

/// <summary>
/// The change log: every created and revised cable is logged by the transaction that wrote it, numbered in commit
/// order, and a reader that takes what lies below the horizon never skips a change that commits later.
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
    public async Task A_running_writer_holds_back_no_later_commit_and_is_read_after_it_once_it_commits()
    {
        var start = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None));
        await using var writer = await database.DataSource.OpenConnectionAsync();
        await using var writerTransaction = await writer.BeginTransactionAsync();
        await HandWrittenCables.InsertAsync(writer, writerTransaction, "09SANAA3201");
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3202))], CancellationToken.None);

        Assert.Equal(["07TEST3202"], (await ReadAllAsync(start)).Select(c => c.ReferenceId));

        await writerTransaction.CommitAsync();
        Assert.Equal(["07TEST3202", "09SANAA3201"], (await ReadAllAsync(start)).Select(c => c.ReferenceId));
    }

    [Fact]
    public async Task A_reader_polling_while_writers_commit_in_any_order_reads_every_change_once()
    {
        // Writers overlap and commit in an order unrelated to when they began; the reader goes on from its last
        // position each time. A horizon that let it pass a change still being committed would lose that change.
        const int Writers = 6, Commits = 15;
        var expected = Enumerable.Range(0, Writers * Commits).Select(i => $"09RACE{i:D4}").ToHashSet();
        var start = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None)); // before any writer commits
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await using var connection = await database.DataSource.OpenConnectionAsync();
            for (var i = 0; i < Commits; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await HandWrittenCables.InsertAsync(connection, transaction, $"09RACE{w * Commits + i:D4}");
                await Task.Delay(Random.Shared.Next(0, 8));
                await transaction.CommitAsync();
            }
        })).ToList();

        var position = start;
        var read = new List<CableChange>();
        var allWritten = Task.WhenAll(writers);
        while (true)
        {
            var done = allWritten.IsCompleted;
            var horizon = await _store.GetChangeHorizonAsync(CancellationToken.None);
            for (IReadOnlyList<CableChange> chunk; (chunk = await _store.ReadChangesAsync(position, horizon, 4, CancellationToken.None)).Count > 0;)
            {
                read.AddRange(chunk);
                position = chunk[^1].Position;
            }

            position = ChangePosition.Max(position, ChangePosition.AtHorizon(horizon));
            if (done)
            {
                break;
            }
        }

        await allWritten;
        var ids = read.Select(c => c.ReferenceId).Where(expected.Contains).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(read.Select(c => c.Position).Order(), read.Select(c => c.Position));
    }

    [Fact]
    public async Task Pruning_leaves_a_marker_and_a_position_before_it_expires()
    {
        var start = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None));
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3101))], CancellationToken.None);

        Assert.Equal(0, await _store.PruneChangesAsync(TimeSpan.FromDays(1), CancellationToken.None));
        Assert.True(await _store.PruneChangesAsync(TimeSpan.Zero, CancellationToken.None) > 0);
        var after = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None));

        var pruned = await _store.GetPrunedPositionAsync(CancellationToken.None);
        Assert.True(start <= pruned && pruned <= after, $"pruned up to {pruned}, outside [{start}, {after}]");
        var expired = await Assert.ThrowsAsync<ChangePositionExpiredException>(() => ReadAllAsync(start));
        Assert.Equal(pruned, expired.Pruned);
        Assert.Empty(await ReadAllAsync(pruned));

        // Pruning again replaces the marker: the first one's position is now gone too, and the new one reads on.
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3102))], CancellationToken.None);
        Assert.Equal(1, await _store.PruneChangesAsync(TimeSpan.Zero, CancellationToken.None));
        var prunedAgain = await _store.GetPrunedPositionAsync(CancellationToken.None);
        Assert.True(prunedAgain > pruned, $"pruned up to {prunedAgain}, not past {pruned}");
        Assert.Equal(prunedAgain, (await Assert.ThrowsAsync<ChangePositionExpiredException>(() => ReadAllAsync(pruned))).Pruned);
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3103))], CancellationToken.None);
        Assert.Equal([TestCables.Make(3103).ReferenceId], (await ReadAllAsync(prunedAgain)).Select(c => c.ReferenceId));
    }

    [Fact]
    public async Task A_writer_that_ran_past_the_retention_does_not_carry_pruning_past_younger_commits()
    {
        var start = ChangePosition.AtHorizon(await _store.GetChangeHorizonAsync(CancellationToken.None));
        await using var old = await database.DataSource.OpenConnectionAsync();
        await using var oldTransaction = await old.BeginTransactionAsync();
        await HandWrittenCables.InsertAsync(old, oldTransaction, "09SANAA3401");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await _store.IngestAsync([TestCables.ToStore(TestCables.Make(3402))], CancellationToken.None);
        await oldTransaction.CommitAsync(); // started before the retention below, numbered after the younger commit

        await _store.PruneChangesAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal([TestCables.Make(3402).ReferenceId, "09SANAA3401"], (await ReadAllAsync(start)).Select(c => c.ReferenceId));
    }

    /// <summary>This test's own changes after <paramref name="after"/>.</summary>
    private async Task<List<CableChange>> ReadOwnAsync(ChangePosition after, params string[] referenceIds) =>
        [.. (await ReadAllAsync(after)).Where(c => referenceIds.Contains(c.ReferenceId))];

    /// <summary>Every change after <paramref name="after"/> committed before the call.</summary>
    private async Task<List<CableChange>> ReadAllAsync(ChangePosition after)
    {
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
}
