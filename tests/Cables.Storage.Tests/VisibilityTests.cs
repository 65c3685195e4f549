namespace Cables.Storage.Tests;

public sealed class VisibilityTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly string[] s_restricting = ["NOFORN", "ORCON"];

    private readonly CableStore _store = database.CreateStore();

    private static CableVisibility Cleared(ClassificationLevel level, params string[] controls) => CableVisibility.For(level, controls, s_restricting);

    private static ParsedCable At(ParsedCable cable, ClassificationLevel level, params string[] caveats) =>
        cable with { Classification = new ClassificationInfo { Level = level, Caveats = caveats } };

    [Fact]
    public async Task Revisions_are_returned_only_while_the_cable_is_visible_and_only_those_that_are_visible_themselves()
    {
        var cable = TestCables.Make(7001, "08VISIBLE1");
        await _store.IngestAsync([TestCables.ToStore(At(cable, ClassificationLevel.Confidential), "first")], CancellationToken.None);
        await _store.IngestAsync([TestCables.ToStore(At(cable, ClassificationLevel.Secret, "NOFORN"), "second")], CancellationToken.None);

        // Current is SECRET NOFORN: a confidential reader sees neither it nor its history, as for an unknown id.
        Assert.Null(await _store.GetAsync("08VISIBLE1", CableTexts.None, Cleared(ClassificationLevel.Confidential), CancellationToken.None));
        Assert.Empty(await VersionsAsync(Cleared(ClassificationLevel.Confidential)));
        Assert.Empty(await VersionsAsync(Cleared(ClassificationLevel.Secret)));
        Assert.Equal(new[] { 2, 1 }, await VersionsAsync(Cleared(ClassificationLevel.Secret, "NOFORN")));
        Assert.Null(await _store.GetLatestRevisionAsync("08VISIBLE1", Cleared(ClassificationLevel.Secret), CancellationToken.None));

        // Current back to CONFIDENTIAL: the reader sees it and the first version, never the SECRET NOFORN one between.
        await _store.IngestAsync([TestCables.ToStore(At(cable, ClassificationLevel.Confidential), "third")], CancellationToken.None);
        Assert.NotNull(await _store.GetAsync("08VISIBLE1", CableTexts.None, Cleared(ClassificationLevel.Confidential), CancellationToken.None));
        Assert.Equal(new[] { 3, 1 }, await VersionsAsync(Cleared(ClassificationLevel.Confidential)));
        Assert.Null(await _store.GetRevisionAsync("08VISIBLE1", 2, CableTexts.None, Cleared(ClassificationLevel.Confidential), CancellationToken.None));
        Assert.NotNull(await _store.GetRevisionAsync("08VISIBLE1", 1, CableTexts.None, Cleared(ClassificationLevel.Confidential), CancellationToken.None));
        Assert.Equal(new[] { 3, 2, 1 }, await VersionsAsync(CableVisibility.Unrestricted));

        async Task<int[]> VersionsAsync(CableVisibility visibility) =>
            [.. (await _store.GetRevisionsAsync("08VISIBLE1", before: null, limit: 10, CableTexts.None, visibility, CancellationToken.None)).Select(v => v.Revision)];
    }

    [Fact]
    public async Task A_writer_leaves_a_cable_it_may_not_see_untouched_and_learns_neither_unchanged_nor_revised()
    {
        var cable = At(TestCables.Make(7002, "08HIDDEN1"), ClassificationLevel.Secret, "ORCON");
        await _store.IngestAsync([TestCables.ToStore(cable, "secret text")], CancellationToken.None);
        var before = await _store.GetAsync("08HIDDEN1", full: true, CancellationToken.None);
        var writer = Cleared(ClassificationLevel.Secret);

        var same = await _store.IngestAsync([TestCables.ToStore(cable, "secret text")], writer, CancellationToken.None);
        var other = await _store.IngestAsync([TestCables.ToStore(At(cable, ClassificationLevel.Unclassified), "REPLACED TEXT")], writer, CancellationToken.None);
        var fresh = await _store.IngestAsync([TestCables.ToStore(At(TestCables.Make(7003, "08FREE1"), ClassificationLevel.Unclassified))], writer, CancellationToken.None);

        Assert.Equal(IngestOutcome.Withheld, Assert.Single(same).Outcome);
        Assert.Equal(IngestOutcome.Withheld, Assert.Single(other).Outcome);
        Assert.Equal(IngestOutcome.Created, Assert.Single(fresh).Outcome);
        Assert.Equal(before, await _store.GetAsync("08HIDDEN1", full: true, CancellationToken.None));
        Assert.Single(await _store.GetRevisionsAsync("08HIDDEN1", CableTexts.None, CancellationToken.None));

        var cleared = await _store.IngestAsync([TestCables.ToStore(cable, "secret text")], Cleared(ClassificationLevel.Secret, "ORCON"), CancellationToken.None);
        Assert.Equal(IngestOutcome.Unchanged, Assert.Single(cleared).Outcome);
    }

    [Fact]
    public async Task Counts_and_streams_leave_out_what_the_visibility_hides_and_unknown_levels_below_top_secret()
    {
        ParsedCable[] cables =
        [
            At(TestCables.Make(7100, "07COUNT1"), ClassificationLevel.Unclassified),
            At(TestCables.Make(7101, "07COUNT2"), ClassificationLevel.Confidential, "NOFORN"),
            At(TestCables.Make(7102, "07COUNT3"), ClassificationLevel.Secret, "SIPDIS"),
            At(TestCables.Make(7103, "07COUNT4"), ClassificationLevel.Unknown),
        ];
        await _store.IngestAsync([.. cables.Select(c => TestCables.ToStore(c with { Origin = "Embassy Visibility" }))], CancellationToken.None);
        var query = new CableQuery { Origins = ["Embassy Visibility"] };

        async Task<string[]> Visible(CableVisibility visibility)
        {
            var ids = new List<string>();
            await foreach (var cable in _store.StreamAsync(query with { Visibility = visibility }, CancellationToken.None))
            {
                ids.Add(cable.ReferenceId);
            }

            Assert.Equal(ids.Count, await _store.CountAsync(query with { Visibility = visibility }, CancellationToken.None));
            return [.. ids.Order(StringComparer.Ordinal)];
        }

        Assert.Equal(new[] { "07COUNT1" }, await Visible(Cleared(ClassificationLevel.Confidential)));
        Assert.Equal(new[] { "07COUNT1", "07COUNT2" }, await Visible(Cleared(ClassificationLevel.Confidential, "NOFORN")));
        Assert.Equal(new[] { "07COUNT1", "07COUNT3" }, await Visible(Cleared(ClassificationLevel.Secret, "ORCON")));
        Assert.Equal(new[] { "07COUNT1", "07COUNT2", "07COUNT3", "07COUNT4" }, await Visible(Cleared(ClassificationLevel.TopSecret, "NOFORN", "ORCON")));
        Assert.Equal(new[] { "07COUNT1", "07COUNT3", "07COUNT4" }, await Visible(Cleared(ClassificationLevel.TopSecret)));
    }
}
