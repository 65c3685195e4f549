namespace CableService.Tests.Functional;

/// <summary>ListCableRevisions, GetCable with a revision and DiffCableRevisions over the real service.</summary>
public sealed class RevisionTests(ServiceHost host) : IClassFixture<ServiceHost>
{
    private const string OriginalSubject = "SUBJECT: FM DE GUCHT ENCOUNTERS RESOLUTE FM LAVROV IN MOSCOW";

    private static string CleanSeedPath => RepositoryFolder.Path("tests", "Cables.Parsing.Tests", "Data", "08BRUSSELS1390.clean.txt");

    /// <summary>A text under the reference id the metadata names (the caller's metadata wins over the text's).</summary>
    private static Api.IngestCableRequest Version(string referenceId, string itemId, string rawText, string source = "") => new()
    {
        ClientItemId = itemId,
        RawText = rawText,
        Metadata = new Api.SourceMetadata { ReferenceId = referenceId, Source = source },
    };

    private async Task<Api.IngestOutcome> IngestAsync(Api.IngestCableRequest request)
    {
        var response = await host.Client.IngestCableAsync(request);
        Assert.True(response.Outcome != Api.IngestOutcome.Rejected, $"{response.Reason}: {response.Details}");
        return response.Outcome;
    }

    /// <summary>Three texts of one id: the clean seed, its subject reworded, then a paragraph added.</summary>
    private async Task<string[]> IngestThreeVersionsAsync(string referenceId)
    {
        var v1 = File.ReadAllText(CleanSeedPath);
        var v2 = v1.Replace(OriginalSubject, "SUBJECT: FM DE GUCHT MEETS FM LAVROV IN MOSCOW", StringComparison.Ordinal);
        var v3 = v2.Replace("\n¶9. (C) ", "\n¶10. (U) A paragraph added in a later release.\n\n¶9. (C) ", StringComparison.Ordinal);
        Assert.NotEqual(v1, v2);
        Assert.NotEqual(v2, v3);
        Assert.Equal(Api.IngestOutcome.Created, await IngestAsync(Version(referenceId, "v1", v1, "release 1: 08BRUSSELS1390.txt")));
        Assert.Equal(Api.IngestOutcome.Revised, await IngestAsync(Version(referenceId, "v2", v2, "release 2")));
        Assert.Equal(Api.IngestOutcome.Revised, await IngestAsync(Version(referenceId, "v3", v3)));
        return [v1, v2, v3];
    }

    [Fact]
    public async Task Three_texts_give_three_versions_that_are_listed_read_and_compared()
    {
        var texts = await IngestThreeVersionsAsync("08REVISED1");

        var list = await host.Client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = "08revised1" });
        Assert.Equal([3, 2, 1], list.Revisions.Select(r => r.Revision));
        Assert.Equal([true, false, false], list.Revisions.Select(r => r.Current));
        Assert.Equal(["", "release 2", "release 1: 08BRUSSELS1390.txt"], list.Revisions.Select(r => r.Source));
        Assert.All(list.Revisions, r => Assert.Equal(Api.SourceFormat.Telegram, r.Format));
        Assert.All(list.Revisions, r => Assert.Equal(64, r.ContentSha256.Length));
        Assert.Equal(3, list.Revisions.Select(r => r.ContentSha256).Distinct().Count());
        Assert.Null(list.Revisions[0].Replaced);
        Assert.Equal(list.Revisions[1].Replaced, list.Revisions[0].Ingested);
        Assert.Equal(list.Revisions[2].Replaced, list.Revisions[1].Ingested);
        Assert.Empty(list.NextPageToken);
        // BASIC view by default: parsed fields, no texts.
        Assert.Equal("FM DE GUCHT ENCOUNTERS RESOLUTE FM LAVROV IN MOSCOW", list.Revisions[2].Cable.Subject);
        Assert.Equal("FM DE GUCHT MEETS FM LAVROV IN MOSCOW", list.Revisions[1].Cable.Subject);
        Assert.All(list.Revisions, r => Assert.Equal("", r.Cable.RawText));
        Assert.All(list.Revisions, r => Assert.Equal("08REVISED1", r.Cable.ReferenceId));

        var full = await host.Client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED1", View = Api.CableView.Full });
        Assert.Equal(texts.AsEnumerable().Reverse(), full.Revisions.Select(r => r.Cable.RawText));

        // Each version by number; no revision is the current one, and the current one by number is the same cable.
        for (var revision = 1; revision <= 3; revision++)
        {
            var read = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08REVISED1", Revision = revision, View = Api.CableView.Full });
            Assert.Equal(texts[revision - 1], read.RawText);
            Assert.Equal(revision - 1, read.RevisionCount);
        }

        var current = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08REVISED1", View = Api.CableView.Full });
        Assert.Equal(current, await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08REVISED1", Revision = 3, View = Api.CableView.Full }));
        var masked = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08REVISED1", Revision = 1, ReadMask = new() { Paths = { "subject" } } });
        Assert.Equal(new Api.Cable { Subject = "FM DE GUCHT ENCOUNTERS RESOLUTE FM LAVROV IN MOSCOW" }, masked);

        // Compared: by default the current version against the one before it.
        var latest = await host.Client.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED1" });
        Assert.Equal((2, 3), (latest.FromRevision, latest.ToRevision));
        var subjectOnly = await host.Client.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED1", FromRevision = 1, ToRevision = 2 });
        // The body holds the header block, SUBJECT line included.
        Assert.Equal(["subject", "body"], subjectOnly.ChangedFields);
        var hunk = Assert.Single(subjectOnly.Hunks);
        Assert.Equal(
            [(Api.DiffLineKind.Deleted, OriginalSubject), (Api.DiffLineKind.Inserted, "SUBJECT: FM DE GUCHT MEETS FM LAVROV IN MOSCOW")],
            hunk.Lines.Where(l => l.Kind != Api.DiffLineKind.Context).Select(l => (l.Kind, l.Text)));
        Assert.Equal(3, hunk.Lines.TakeWhile(l => l.Kind == Api.DiffLineKind.Context).Count());
        AssertHunksMatch(texts[0], texts[1], subjectOnly.Hunks);

        var whole = await host.Client.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED1", FromRevision = 1, ToRevision = 3, ContextLines = 0 });
        Assert.Contains("subject", whole.ChangedFields);
        Assert.Contains("body", whole.ChangedFields);
        Assert.Contains("paragraphs", whole.ChangedFields);
        Assert.Contains(whole.Hunks.SelectMany(h => h.Lines), l => l.Kind == Api.DiffLineKind.Inserted && l.Text.StartsWith("¶10. (U)", StringComparison.Ordinal));
        Assert.All(whole.Hunks.SelectMany(h => h.Lines), l => Assert.NotEqual(Api.DiffLineKind.Context, l.Kind));
        AssertHunksMatch(texts[0], texts[2], whole.Hunks);

        var same = await host.Client.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED1", FromRevision = 2, ToRevision = 2 });
        Assert.Empty(same.Hunks);
        Assert.Empty(same.ChangedFields);
    }

    [Fact]
    public async Task A_text_identical_to_an_earlier_version_is_unchanged_and_adds_nothing()
    {
        var texts = await IngestThreeVersionsAsync("08REVISED2");
        var before = await host.CountRowsAsync();

        Assert.Equal(Api.IngestOutcome.Unchanged, await IngestAsync(Version("08REVISED2", "v1 again", texts[0], "release 4")));
        Assert.Equal(Api.IngestOutcome.Unchanged, await IngestAsync(Version("08REVISED2", "v2 again", texts[1])));
        Assert.Equal(Api.IngestOutcome.Unchanged, await IngestAsync(Version("08REVISED2", "v3 again", texts[2])));

        Assert.Equal(before, await host.CountRowsAsync());
        var list = await host.Client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED2" });
        Assert.Equal([3, 2, 1], list.Revisions.Select(r => r.Revision));
        Assert.Equal("release 1: 08BRUSSELS1390.txt", list.Revisions[2].Source);
        var current = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08REVISED2", View = Api.CableView.Full });
        Assert.Equal(texts[2], current.RawText);
    }

    [Fact]
    public async Task Pages_of_versions_follow_each_other_with_the_page_token()
    {
        var texts = await IngestThreeVersionsAsync("08REVISED3");
        Assert.Equal(Api.IngestOutcome.Revised, await IngestAsync(Version("08REVISED3", "v4", texts[2] + "\nA fourth text.\n")));
        Assert.Equal(Api.IngestOutcome.Revised, await IngestAsync(Version("08REVISED3", "v5", texts[2] + "\nA fifth text.\n")));

        var revisions = new List<int>();
        var pages = 0;
        var request = new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED3", PageSize = 2 };
        do
        {
            var page = await host.Client.ListCableRevisionsAsync(request);
            Assert.InRange(page.Revisions.Count, 1, 2);
            revisions.AddRange(page.Revisions.Select(r => r.Revision));
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal([5, 4, 3, 2, 1], revisions);
        Assert.Equal(3, pages);

        // A token continues the listing of its own cable only.
        var first = await host.Client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED3", PageSize = 4 });
        Assert.Equal([5, 4, 3, 2], first.Revisions.Select(r => r.Revision));
        var last = await host.Client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED3", PageSize = 4, PageToken = first.NextPageToken });
        Assert.Equal([1], last.Revisions.Select(r => r.Revision));
        Assert.Empty(last.NextPageToken);
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.ListCableRevisionsAsync(
            new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED1", PageToken = first.NextPageToken }).ResponseAsync), "page_token");
    }

    [Fact]
    public async Task The_damaged_seed_then_the_clean_one_diff_in_the_tags_line_and_the_paragraph_marks_only()
    {
        var damaged = File.ReadAllText(Corpus.SeedPath);
        var clean = File.ReadAllText(CleanSeedPath);
        Assert.Equal(Api.IngestOutcome.Created, await IngestAsync(new Api.IngestCableRequest { ClientItemId = "damaged", RawText = damaged }));
        Assert.Equal(Api.IngestOutcome.Revised, await IngestAsync(new Api.IngestCableRequest { ClientItemId = "clean", RawText = clean }));

        var diff = await host.Client.DiffCableRevisionsAsync(new Api.DiffCableRevisionsRequest { ReferenceId = "08BRUSSELS1390" });

        Assert.Equal((1, 2), (diff.FromRevision, diff.ToRevision));
        AssertHunksMatch(damaged, clean, diff.Hunks);
        var lines = diff.Hunks.SelectMany(h => h.Lines).ToList();
        var tagsDeleted = Assert.Single(lines, l => l.Kind == Api.DiffLineKind.Deleted && l.Text.StartsWith("TAGS:", StringComparison.Ordinal));
        var tagsInserted = Assert.Single(lines, l => l.Kind == Api.DiffLineKind.Inserted && l.Text.StartsWith("TAGS:", StringComparison.Ordinal));
        Assert.Equal(("TAGS: [PREL](#) [BE](#) [GG](#) [RU](#)", 20), (tagsDeleted.Text, tagsDeleted.FromLine));
        Assert.Equal(("TAGS: PREL, BE, GG, RU", 18), (tagsInserted.Text, tagsInserted.ToLine));
        // Paragraphs 3 to 9: the damaged rendering read ¶ as 1.
        for (var paragraph = 3; paragraph <= 9; paragraph++)
        {
            Assert.Single(lines, l => l.Kind == Api.DiffLineKind.Deleted && l.Text.StartsWith($"1{paragraph}. (C) ", StringComparison.Ordinal));
            Assert.Single(lines, l => l.Kind == Api.DiffLineKind.Inserted && l.Text.StartsWith($"¶{paragraph}. (C) ", StringComparison.Ordinal));
        }

        // The parser reads both renderings alike (Cables.Parsing.Tests.SeedCableTests): no parsed field differs.
        Assert.Empty(diff.ChangedFields);
    }

    [Fact]
    public async Task Bad_requests_get_canonical_statuses_naming_what_is_wrong()
    {
        await IngestThreeVersionsAsync("08REVISED4");

        AssertNotFound(await Assert.ThrowsAsync<RpcException>(() => host.Client.ListCableRevisionsAsync(
            new Api.ListCableRevisionsRequest { ReferenceId = "99NOWHERE1" }).ResponseAsync), "CABLE_NOT_FOUND");
        AssertNotFound(await Assert.ThrowsAsync<RpcException>(() => host.Client.GetCableAsync(
            new Api.GetCableRequest { ReferenceId = "99NOWHERE1", Revision = 1 }).ResponseAsync), "CABLE_NOT_FOUND");
        AssertNotFound(await Assert.ThrowsAsync<RpcException>(() => host.Client.DiffCableRevisionsAsync(
            new Api.DiffCableRevisionsRequest { ReferenceId = "99NOWHERE1" }).ResponseAsync), "CABLE_NOT_FOUND");

        var tooHigh = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetCableAsync(
            new Api.GetCableRequest { ReferenceId = "08REVISED4", Revision = 4 }).ResponseAsync);
        var info = AssertNotFound(tooHigh, "REVISION_NOT_FOUND");
        Assert.Equal("4", info.Metadata["revision"]);
        Assert.Equal("3", info.Metadata["latest_revision"]);
        Assert.Contains("revision 4", tooHigh.Status.Detail, StringComparison.Ordinal);
        AssertNotFound(await Assert.ThrowsAsync<RpcException>(() => host.Client.DiffCableRevisionsAsync(
            new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED4", FromRevision = 1, ToRevision = 9 }).ResponseAsync), "REVISION_NOT_FOUND");
        AssertNotFound(await Assert.ThrowsAsync<RpcException>(() => host.Client.DiffCableRevisionsAsync(
            new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED4", FromRevision = 7 }).ResponseAsync), "REVISION_NOT_FOUND");

        foreach (var revision in new[] { 0, -1 })
        {
            RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.GetCableAsync(
                new Api.GetCableRequest { ReferenceId = "08REVISED4", Revision = revision }).ResponseAsync), "revision");
            RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.DiffCableRevisionsAsync(
                new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED4", FromRevision = revision }).ResponseAsync), "from_revision");
            RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.DiffCableRevisionsAsync(
                new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED4", ToRevision = revision }).ResponseAsync), "to_revision");
        }

        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.DiffCableRevisionsAsync(
            new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED4", FromRevision = 3, ToRevision = 2 }).ResponseAsync), "from_revision");
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.DiffCableRevisionsAsync(
            new Api.DiffCableRevisionsRequest { ReferenceId = "08REVISED4", ContextLines = -1 }).ResponseAsync), "context_lines");
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.DiffCableRevisionsAsync(
            new Api.DiffCableRevisionsRequest { ReferenceId = "" }).ResponseAsync), "reference_id");
        foreach (var pageSize in new[] { -1, 51 })
        {
            RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.ListCableRevisionsAsync(
                new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED4", PageSize = pageSize }).ResponseAsync), "page_size");
        }

        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.ListCableRevisionsAsync(
            new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED4", PageToken = "not-a-token" }).ResponseAsync), "page_token");
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => host.Client.ListCableRevisionsAsync(
            new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED4", View = (Api.CableView)9 }).ResponseAsync), "view");
    }

    [Fact]
    public async Task An_over_long_or_nul_source_is_rejected_naming_the_field_and_stores_nothing()
    {
        var before = await host.CountRowsAsync();
        var text = File.ReadAllText(CleanSeedPath);

        var responses = await host.Client.IngestAllAsync(
        [
            Version("08REVISED5", "long", text, new string('s', 1001)),
            Version("08REVISED5", "nul", text, "release\0 1"),
        ]);

        Assert.All(responses.Values, r => Assert.Equal((Api.IngestOutcome.Rejected, "INVALID_METADATA"), (r.Outcome, r.Reason)));
        Assert.All(responses.Values, r => Assert.StartsWith("metadata.source ", r.Details, StringComparison.Ordinal));
        Assert.Contains("at most 1000", responses["long"].Details, StringComparison.Ordinal);
        Assert.Equal(before, await host.CountRowsAsync());

        // 1000 characters are accepted and returned as sent.
        var longest = new string('s', 1000);
        Assert.Equal(Api.IngestOutcome.Created, await IngestAsync(Version("08REVISED5", "longest", text, longest)));
        var list = await host.Client.ListCableRevisionsAsync(new Api.ListCableRevisionsRequest { ReferenceId = "08REVISED5" });
        Assert.Equal(longest, Assert.Single(list.Revisions).Source);
    }

    /// <summary>Every line of every hunk is the line of the from or to text its numbers name, and the counts add up.</summary>
    private static void AssertHunksMatch(string from, string to, IEnumerable<Api.DiffHunk> hunks)
    {
        var fromLines = from.Split('\n');
        var toLines = to.Split('\n');
        var hunkList = hunks.ToList();
        Assert.NotEmpty(hunkList);
        foreach (var hunk in hunkList)
        {
            Assert.Equal(hunk.FromCount, hunk.Lines.Count(l => l.Kind != Api.DiffLineKind.Inserted));
            Assert.Equal(hunk.ToCount, hunk.Lines.Count(l => l.Kind != Api.DiffLineKind.Deleted));
            foreach (var line in hunk.Lines)
            {
                if (line.Kind != Api.DiffLineKind.Inserted)
                {
                    Assert.Equal(fromLines[line.FromLine - 1], line.Text);
                }

                if (line.Kind != Api.DiffLineKind.Deleted)
                {
                    Assert.Equal(toLines[line.ToLine - 1], line.Text);
                }
            }
        }
    }

    private static ErrorInfo AssertNotFound(RpcException error, string reason)
    {
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal(reason, info.Reason);
        return info;
    }
}
