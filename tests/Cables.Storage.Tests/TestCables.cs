using Cables.Api.V1;
using Cables.Api.V1.Mapping;
using Cables.Parsing;
using ClassificationLevel = Cables.Parsing.Model.ClassificationLevel;
using Paragraph = Cables.Parsing.Model.Paragraph;
using ParseWarning = Cables.Parsing.Model.ParseWarning;
using Recipient = Cables.Parsing.Model.Recipient;
using SourceFormat = Cables.Parsing.Model.SourceFormat;
using TelegramHeader = Cables.Parsing.Model.TelegramHeader;
using Classifier = Cables.Parsing.Model.Classifier;
using ReferenceKind = Cables.Parsing.Model.ReferenceKind;
using TagKind = Cables.Parsing.Model.TagKind;

namespace Cables.Storage.Tests;

/// <summary>Deterministic synthetic cables built with the model's initialisers, and a structural comparison.</summary>
internal static class TestCables
{
    public static readonly string[] Origins = ["Embassy Brussels", "Embassy Paris", "Secretary of State", "Mission USNATO", "Consulate Lagos"];
    public static readonly string[] TagPool = ["PREL", "PGOV", "ECON", "MARR", "KNNP", "ETRD", "PHUM", "SNAR", "EU", "FR", "BE", "NATO"];
    public static readonly string[] Words = ["kumquat", "xylophone", "zeppelin", "quokka", "narwhal", "obelisk"];

    /// <summary>A cable with every part filled; <paramref name="seed"/> varies tags, origin, date, level, words and references.</summary>
    public static ParsedCable Make(int seed, string? referenceId = null, DateTime? created = null, string bodyExtra = "")
    {
        var random = new Random(seed);
        var id = referenceId ?? $"0{5 + seed % 5}TEST{seed}";
        var tags = TagPool.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToArray();
        var words = Words.Where(_ => random.Next(3) == 0).ToArray();
        var body = $"1. (C) Body of cable {seed}. {string.Join(' ', words.Skip(1))} {bodyExtra}".Trim() + "\n\n2. (U) Second paragraph.";
        var references = Enumerable.Range(0, random.Next(0, 3))
            .Select(i => new CableReference { Kind = ReferenceKind.Cable, Id = $"0{5 + seed % 5}TEST{random.Next(0, 40)}", Label = ((char)('A' + i)).ToString(), Text = "REFTEL" })
            .Append(new CableReference { Kind = ReferenceKind.Email, Text = "EMAIL OF 5 SEP" })
            .ToArray();
        return new ParsedCable
        {
            ReferenceId = id,
            // Hour granularity over ~5 years plus forced collisions (every 7th shares a time) to exercise the keyset tie-breaker.
            Created = created ?? (seed % 7 == 0
                ? new DateTime(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc)
                : new DateTime(2005, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(random.Next(0, 5 * 365 * 24))),
            Origin = Origins[random.Next(Origins.Length)],
            Header = new TelegramHeader
            {
                TransmissionId = $"VZCZCXRO{seed}",
                Precedence = "P",
                RoutingIndicators = ["RUEHFL", "RUEHKW"],
                OriginatingStation = "RUEHBS",
                StationSerialNumber = seed.ToString(),
                DateTimeGroup = "P 051818Z SEP 08",
                From = "AMEMBASSY BRUSSELS",
                To = [new Recipient { RoutingIndicator = "RUEHC", Name = "SECSTATE WASHDC", Precedence = "PRIORITY", MessageContinuityNumber = "7971" }],
                Info = Enumerable.Range(0, random.Next(0, 3)).Select(i => new Recipient { Name = $"AMEMBASSY POST{i}", Exclusions = i == 0 ? ["RUEHXX"] : [] }).ToArray(),
            },
            Classification = new ClassificationInfo
            {
                Level = (ClassificationLevel)random.Next(0, 6),
                Caveats = random.Next(2) == 0 ? ["NOFORN", "SIPDIS"] : [],
                Label = "CONFIDENTIAL//NOFORN",
            },
            ExecutiveOrder = "E.O. 12958: DECL: 09/05/2018",
            DeclassificationDate = new DateOnly(2018, 9, 5),
            Tags = tags.Select(t => new CableTag(t, t.Length == 2 ? TagKind.Geographic : TagKind.Subject)).ToArray(),
            RawTags = tags,
            Subject = $"Subject {seed} {(words.Length > 0 ? words[0] : "plain")}",
            References = references,
            ClassifiedBy = [new Classifier("Jane Doe", "Political Counselor")],
            ClassificationReasons = ["1.4(b)", "1.4(d)"],
            Summary = $"Summary of cable {seed}.",
            Paragraphs = CableParser.ReadParagraphs(body),
            Signers = ["GUTMAN"],
            IsPartialExtract = seed % 11 == 0,
            Body = body,
            Warnings = seed % 3 == 0 ? [new ParseWarning(WarningCode.UnreadableLine, "line 12")] : [],
        };
    }

    public static CableToStore ToStore(ParsedCable cable, string? rawText = null) =>
        new(cable, rawText ?? $"RAW {cable.ReferenceId} {cable.Body}", SourceFormat.Telegram);

    /// <summary>The cable as a BASIC read returns it.</summary>
    public static ParsedCable Basic(ParsedCable cable) => cable with { Body = "", Paragraphs = [] };

    /// <summary>
    /// The message a read of <paramref name="item"/> must return, but for the store's own fields: the parsed record in
    /// the view, created in UTC, the paragraphs those of the body, and in FULL the raw text.
    /// </summary>
    public static Cable Expected(CableToStore item, bool full)
    {
        var cable = item.Cable with
        {
            Created = item.Cable.Created is { } created ? CableStore.ToUtc(created) : null,
            Paragraphs = CableParser.ReadParagraphs(item.Cable.Body),
        };
        var message = CableMessages.ToApi(cable, full);
        if (full)
        {
            message.RawText = item.RawText;
        }

        return message;
    }

    /// <summary>A copy without what the store adds (hash, times, revision count), to compare with <see cref="Expected"/>.</summary>
    public static Cable WithoutStoreFields(Cable stored)
    {
        var copy = stored.Clone();
        copy.ContentSha256 = "";
        copy.Ingested = null;
        copy.Revised = null;
        copy.RevisionCount = 0;
        return copy;
    }

    /// <summary>
    /// <paramref name="actual"/>, as read from the store, is <paramref name="expected"/> in the view it was read in (a
    /// FULL read carries the raw text), but for the store's own fields.
    /// </summary>
    public static void AssertSame(ParsedCable expected, Cable actual)
    {
        var full = actual.RawText.Length > 0;
        Assert.Equal(Expected(new CableToStore(expected, actual.RawText, SourceFormat.Telegram), full), WithoutStoreFields(actual));
    }
}
