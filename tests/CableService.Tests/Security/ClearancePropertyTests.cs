using CableService.Security;
using Cables.Api.V1.Mapping;
using Cables.Storage;
using Google.Protobuf.WellKnownTypes;
using Model = Cables.Parsing.Model;

namespace CableService.Tests.Security;

/// <summary><see cref="CorpusService"/> with JWT authentication on; <see cref="ServiceHost.Client"/> is the administrator's.</summary>
public sealed class SecuredCorpusService : CorpusService
{
    public TestTokenIssuer Tokens { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => Tokens.ServiceSettings;

    protected override string? Token => Tokens.Administrator();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Tokens.Dispose();
    }
}

/// <summary>
/// Random clearances, controls and filters over the corpus in PostgreSQL: every read answers exactly the unrestricted
/// answer less what the caller may not see, counts, pages and resumed streams included.
/// </summary>
public sealed class ClearancePropertyTests(SecuredCorpusService corpus) : IClassFixture<SecuredCorpusService>
{
    private const int Seed = 20_261_205;
    private const int Draws = 40;

    private static readonly string[] s_levels = ["unclassified", "fouo", "confidential", "secret", "top_secret"];
    private static readonly string[] s_controls = ["NOFORN", "NODIS", "EXDIS", "ORCON", "LIMDIS", "SIPDIS"];
    private static readonly string[] s_words = ["minister", "embassy", "security", "election", "oil", "nuclear"];

    [Fact]
    public async Task Every_read_answers_the_unrestricted_answer_filtered_by_the_visibility_rule()
    {
        var random = new Random(Seed);
        var stored = corpus.Stored.Values.OrderBy(c => c.ReferenceId, StringComparer.Ordinal).ToList();
        // The corpus holds cables a partial clearance cannot see, or the property would hold trivially.
        Assert.Contains(stored, c => c.Classification.Level == Api.ClassificationLevel.Secret);
        Assert.Contains(stored, c => c.Classification.Caveats.Contains("NOFORN"));
        var restricting = new AuthOptions().RestrictingControlList;
        var hiddenSomewhere = 0;

        for (var draw = 0; draw < Draws; draw++)
        {
            var clearance = s_levels[random.Next(s_levels.Length)];
            string[] controls = [.. s_controls.Where(_ => random.Next(3) == 0)];
            var visibility = CableVisibility.For(Level(clearance), controls, restricting);
            var filter = RandomFilter(random, stored);
            var order = random.Next(2) == 0 ? Api.SortOrder.CreatedAsc : Api.SortOrder.CreatedDesc;
            var reader = corpus.Host.ClientWith(corpus.Tokens.Token("cables.read", clearance, string.Join(' ', controls)));
            var context = $"draw {draw} (seed {Seed}): {clearance} holding [{string.Join(' ', controls)}], {order}, filter {filter}";

            var unrestricted = (await corpus.Client.StreamAllAsync(new Api.StreamCablesRequest { Filter = filter, Order = order })).Select(r => r.Cable).ToList();
            string[] expected = [.. unrestricted.Where(c => Visible(visibility, c)).Select(c => c.ReferenceId)];
            hiddenSomewhere += unrestricted.Count - expected.Length;

            var streamed = await reader.StreamAllAsync(new Api.StreamCablesRequest { Filter = filter, Order = order });
            Assert.True(expected.SequenceEqual(streamed.Select(r => r.Cable.ReferenceId)), $"StreamCables, {context}");

            var count = await reader.CountCablesAsync(new Api.CountCablesRequest { Filter = filter });
            Assert.True(expected.Length == count.Count, $"CountCables {count.Count}, expected {expected.Length}, {context}");

            var paged = await AllPagesAsync(reader, filter, order, random.Next(5, 80));
            Assert.True(expected.SequenceEqual(paged), $"ListCables pages, {context}");

            var resumed = await ResumedAsync(reader, filter, order, random.Next(5, 80));
            Assert.True(expected.SequenceEqual(resumed), $"StreamCables resumed, {context}");

            foreach (var cable in Enumerable.Range(0, 5).Select(_ => stored[random.Next(stored.Count)]))
            {
                var visible = Visible(visibility, cable);
                try
                {
                    var got = await reader.GetCableAsync(new Api.GetCableRequest { ReferenceId = cable.ReferenceId });
                    Assert.True(visible, $"GetCable {cable.ReferenceId} answered a cable the caller may not see, {context}");
                    Assert.Equal(cable.ReferenceId, got.ReferenceId);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    Assert.False(visible, $"GetCable {cable.ReferenceId} is NOT_FOUND for a caller who may see it, {context}");
                }
            }
        }

        Assert.True(hiddenSomewhere > 0, "no draw hid any cable: the property was never put to the test");
    }

    private static bool Visible(CableVisibility visibility, Api.Cable cable) =>
        visibility.Allows(CableMessages.ToModel(cable.Classification.Level), cable.Classification.Caveats);

    private static Model.ClassificationLevel Level(string clearance) =>
        Clearance.TryParse(clearance, out var level) ? level : throw new ArgumentOutOfRangeException(nameof(clearance));

    private static async Task<List<string>> AllPagesAsync(Api.CableArchive.CableArchiveClient reader, Api.CableFilter filter, Api.SortOrder order, int pageSize)
    {
        var ids = new List<string>();
        var request = new Api.ListCablesRequest { Filter = filter, Order = order, PageSize = pageSize };
        while (true)
        {
            var page = await reader.ListCablesAsync(request);
            ids.AddRange(page.Cables.Select(c => c.ReferenceId));
            if (page.NextPageToken.Length == 0)
            {
                return ids;
            }

            request.PageToken = page.NextPageToken;
        }
    }

    /// <summary>The stream read <paramref name="limit"/> cables at a time, each call resuming after the last cable of the one before.</summary>
    private static async Task<List<string>> ResumedAsync(Api.CableArchive.CableArchiveClient reader, Api.CableFilter filter, Api.SortOrder order, int limit)
    {
        var ids = new List<string>();
        var request = new Api.StreamCablesRequest { Filter = filter, Order = order, Limit = limit };
        while (true)
        {
            var part = await reader.StreamAllAsync(request);
            ids.AddRange(part.Select(r => r.Cable.ReferenceId));
            if (part.Count < limit)
            {
                return ids;
            }

            request.ResumeToken = part[^1].ResumeToken;
        }
    }

    private static Api.CableFilter RandomFilter(Random random, List<Api.Cable> stored)
    {
        var filter = new Api.CableFilter();
        var sample = stored[random.Next(stored.Count)];
        switch (random.Next(7))
        {
            case 0:
                break;
            case 1 when sample.Tags.Count > 0:
                filter.AllTags.Add(sample.Tags[random.Next(sample.Tags.Count)]);
                break;
            case 2:
                filter.AnyTags.Add(stored[random.Next(stored.Count)].Tags.FirstOrDefault() ?? "PREL");
                filter.AnyTags.Add(stored[random.Next(stored.Count)].Tags.FirstOrDefault() ?? "PGOV");
                break;
            case 3 when sample.Origin.Length > 0:
                filter.Origins.Add(sample.Origin);
                break;
            case 4:
                filter.Text = s_words[random.Next(s_words.Length)];
                break;
            case 5 when sample.References.Any(r => r.Id.Length > 0):
                filter.Cites = sample.References.First(r => r.Id.Length > 0).Id;
                break;
            default:
                var from = new DateTime(random.Next(1990, 2010), 1, 1, 0, 0, 0, DateTimeKind.Utc);
                filter.CreatedFrom = Timestamp.FromDateTime(from);
                filter.CreatedTo = Timestamp.FromDateTime(from.AddYears(random.Next(1, 6)));
                break;
        }

        if (random.Next(4) == 0)
        {
            filter.MaxClassification = (Api.ClassificationLevel)random.Next(1, 6);
        }

        return filter;
    }
}
