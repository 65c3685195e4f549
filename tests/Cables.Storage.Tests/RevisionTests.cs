namespace Cables.Storage.Tests;

public sealed class RevisionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly CableStore _store = database.CreateStore();

    [Fact]
    public async Task Three_texts_give_three_versions_numbered_from_one_newest_first_with_their_sources()
    {
        var v1 = TestCables.Make(5000);
        var v2 = v1 with { Subject = "SECOND SUBJECT", Body = "second body" };
        var v3 = v1 with { Body = "third body" };
        // The first goes through the bulk COPY path (a new id), the others through the upsert.
        await IngestAsync(TestCables.ToStore(v1) with { Source = "release 1: 08BRUSSELS1390.txt" }, IngestOutcome.Created);
        await IngestAsync(TestCables.ToStore(v2) with { Format = SourceFormat.WikiLeaksHtml, Source = "https://example.org/cable/2" }, IngestOutcome.Revised);
        await IngestAsync(TestCables.ToStore(v3), IngestOutcome.Revised);

        var versions = await _store.GetRevisionsAsync(v1.ReferenceId!, CableTexts.All, CancellationToken.None);

        Assert.Equal([3, 2, 1], versions.Select(v => v.Revision));
        Assert.Equal([true, false, false], versions.Select(v => v.IsCurrent));
        Assert.Equal([v3.Body, v2.Body, v1.Body], versions.Select(v => v.Cable.Body));
        Assert.Equal([null, "https://example.org/cable/2", "release 1: 08BRUSSELS1390.txt"], versions.Select(v => v.Source));
        Assert.Equal([SourceFormat.Telegram, SourceFormat.WikiLeaksHtml, SourceFormat.Telegram], versions.Select(v => v.Format));
        Assert.Equal([2, 1, 0], versions.Select(v => v.Cable.RevisionCount));
        // Each version was ingested when the one before it was replaced; only the current one is not replaced.
        Assert.Null(versions[0].ReplacedAt);
        Assert.Equal(versions[1].ReplacedAt, versions[0].IngestedAt);
        Assert.Equal(versions[2].ReplacedAt, versions[1].IngestedAt);
        Assert.True(versions[2].IngestedAt < versions[1].IngestedAt);

        var current = await _store.GetAsync(v1.ReferenceId!, full: true, CancellationToken.None);
        Assert.Equal(current, versions[0].Cable);
        Assert.Equal(3, await _store.GetLatestRevisionAsync(v1.ReferenceId!, CableVisibility.Unrestricted, CancellationToken.None));
    }

    [Fact]
    public async Task One_version_is_read_by_number_and_a_missing_one_is_null()
    {
        var v1 = TestCables.Make(5100);
        await IngestAsync(TestCables.ToStore(v1), IngestOutcome.Created);
        await IngestAsync(TestCables.ToStore(v1 with { Body = "edited" }), IngestOutcome.Revised);

        var first = await _store.GetRevisionAsync(v1.ReferenceId!, 1, CableTexts.RawText, CableVisibility.Unrestricted, CancellationToken.None);
        Assert.NotNull(first);
        Assert.False(first.IsCurrent);
        Assert.Equal(TestCables.ToStore(v1).RawText, first.Cable.RawText);
        Assert.Equal("", first.Cable.Body);
        var second = await _store.GetRevisionAsync(v1.ReferenceId!, 2, CableTexts.None, CableVisibility.Unrestricted, CancellationToken.None);
        Assert.True(second!.IsCurrent);

        Assert.Null(await _store.GetRevisionAsync(v1.ReferenceId!, 3, CableTexts.None, CableVisibility.Unrestricted, CancellationToken.None));
        Assert.Null(await _store.GetRevisionAsync(v1.ReferenceId!, 0, CableTexts.None, CableVisibility.Unrestricted, CancellationToken.None));
        Assert.Null(await _store.GetRevisionAsync("99NOWHERE1", 1, CableTexts.None, CableVisibility.Unrestricted, CancellationToken.None));
        Assert.Null(await _store.GetLatestRevisionAsync("99NOWHERE1", CableVisibility.Unrestricted, CancellationToken.None));
        Assert.Empty(await _store.GetRevisionsAsync("99NOWHERE1", CableTexts.None, CancellationToken.None));
    }

    [Fact]
    public async Task A_text_identical_to_any_earlier_version_is_unchanged_and_adds_nothing()
    {
        var v1 = TestCables.Make(5200);
        var v2 = v1 with { Body = "second" };
        await IngestAsync(TestCables.ToStore(v1), IngestOutcome.Created);
        await IngestAsync(TestCables.ToStore(v2), IngestOutcome.Revised);
        var before = await RowsAsync(v1.ReferenceId!);

        await IngestAsync(TestCables.ToStore(v1) with { Source = "a later release of the first text" }, IngestOutcome.Unchanged);
        await IngestAsync(TestCables.ToStore(v2), IngestOutcome.Unchanged);

        Assert.Equal(before, await RowsAsync(v1.ReferenceId!));
        var versions = await _store.GetRevisionsAsync(v1.ReferenceId!, CableTexts.Body, CancellationToken.None);
        Assert.Equal([2, 1], versions.Select(v => v.Revision));
        Assert.Equal(v2.Body, versions[0].Cable.Body);
        Assert.All(versions, v => Assert.Null(v.Source));
    }

    [Fact]
    public async Task Versions_are_paged_below_a_revision_number()
    {
        var v1 = TestCables.Make(5300);
        await IngestAsync(TestCables.ToStore(v1), IngestOutcome.Created);
        for (var i = 2; i <= 5; i++)
        {
            await IngestAsync(TestCables.ToStore(v1 with { Body = $"version {i}" }), IngestOutcome.Revised);
        }

        var first = await _store.GetRevisionsAsync(v1.ReferenceId!, before: null, limit: 2, CableTexts.None, CableVisibility.Unrestricted, CancellationToken.None);
        var second = await _store.GetRevisionsAsync(v1.ReferenceId!, before: first[^1].Revision, limit: 2, CableTexts.None, CableVisibility.Unrestricted, CancellationToken.None);
        var last = await _store.GetRevisionsAsync(v1.ReferenceId!, before: second[^1].Revision, limit: 2, CableTexts.None, CableVisibility.Unrestricted, CancellationToken.None);

        Assert.Equal([5, 4], first.Select(v => v.Revision));
        Assert.Equal([3, 2], second.Select(v => v.Revision));
        Assert.Equal([1], last.Select(v => v.Revision));
    }

    private async Task IngestAsync(CableToStore item, IngestOutcome expected) =>
        Assert.Equal(expected, Assert.Single(await _store.IngestAsync([item], CancellationToken.None)).Outcome);

    /// <summary>Every row of the cable and its revisions, with xmin: any write changes it.</summary>
    private async Task<List<string>> RowsAsync(string referenceId)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT 'cable ' || xmin::text || ' ' || encode(content_sha256, 'hex') || ' ' || revision_count FROM cables WHERE reference_id = $1
            UNION ALL
            SELECT 'revision ' || revision || ' ' || xmin::text || ' ' || encode(content_sha256, 'hex') FROM cable_revisions WHERE reference_id = $1
            ORDER BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceId });
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
