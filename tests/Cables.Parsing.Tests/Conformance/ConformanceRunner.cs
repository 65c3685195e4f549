using System.Text.Json.Nodes;

namespace Cables.Parsing.Tests.Conformance;

/// <summary>Runs a vector against our functions and renders the answer in the vector's JSON shape.</summary>
public static class ConformanceRunner
{
    public static JsonNode? Run(ConformanceVector v) => v.Field switch
    {
        "c14n_id" or "c14n_malformed_id" or "c14n_invalid_id" => ReferenceIds.Canonicalize(v.Input),
        "tags" => Strings(v.BoolArg("canonicalize") == false
            ? Tags.Parse(v.Input).Raw
            : Tags.Parse(v.Input).Tags.Select(t => t.Value)),
        "tag_kind" => CablemapTagKind(v.IntArg("default") is { } d
            ? Tags.KindOf(v.Input, FromCablemapTagKind(d))
            : Tags.KindOf(v.Input)),
        "subject" => Subjects.Parse(v.Input, removeMarking: v.BoolArg("clean") != false) ?? "",
        "subject_html" => Subjects.Parse(WikiLeaksHtml.Read(v.Input).Text) ?? "",
        "references" => Strings(References.CableIds(References.Parse(v.Input, v.IntArg("year") ?? 2010, v.StringArg("reference_id")))),
        "references_typed" => new JsonArray([.. References.Parse(v.Input, v.IntArg("year") ?? 2010, v.StringArg("reference_id"))
            .Select(r => (JsonNode)new JsonObject
            {
                ["value"] = r.Kind == ReferenceKind.Cable ? r.Id : r.Text,
                ["kind"] = CablemapReferenceKind(r.Kind),
                ["bullet"] = r.Label,
                ["title"] = null,
            })]),
        "classified_by" => Strings(ClassifiedBy.Parse(v.Input, v.BoolArg("normalize") == true).Classifiers.Select(c => c.Name)),
        "recipients" => RecipientsJson(Recipients.ParseTo(v.Input)),
        "info_recipients" => RecipientsJson(Recipients.ParseInfo(v.Input)),
        "signers" => Strings(Signers.Parse(v.Input)),
        "summary" => Summaries.Parse(v.Input, v.StringArg("reference_id")),
        "nondisclosure_deadline" => Declassification.Parse(v.Input)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        "clean_content" => ContentCleaner.Clean(v.Input),
        "titlefy" => Titles.Titlefy(v.Input),
        _ => throw new NotSupportedException($"unknown field {v.Field}"),
    };

    public static bool Passes(ConformanceVector v, out JsonNode? actual)
    {
        actual = Run(v);
        var expected = v.Expected;
        if (v.Field == "references_typed" && expected is JsonArray items)
        {
            // kind_name only spells out kind.
            expected = new JsonArray([.. items.Select(i =>
            {
                var o = (JsonObject)i!.DeepClone();
                o.Remove("kind_name");
                return (JsonNode)o;
            })]);
        }

        return JsonNode.DeepEquals(expected, actual);
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(s => (JsonNode)s)]);

    private static JsonArray RecipientsJson(IEnumerable<Recipient> recipients) => new([.. recipients.Select(r => (JsonNode)new JsonObject
    {
        ["route"] = r.RoutingIndicator,
        ["name"] = r.Name,
        ["precedence"] = r.Precedence,
        ["mcn"] = r.MessageContinuityNumber,
        ["excluded"] = Strings(r.Exclusions),
    })]);

    // cablemap's numbering (consts.py): UNKNOWN 0, SUBJECT 1, PERSON 2, PROGRAM 3, GEO 4, ORG 5.
    private static int CablemapTagKind(TagKind kind) => kind switch
    {
        TagKind.Subject => 1,
        TagKind.Person => 2,
        TagKind.Program => 3,
        TagKind.Geographic => 4,
        TagKind.Organisation => 5,
        _ => 0,
    };

    private static TagKind FromCablemapTagKind(int kind) => kind switch
    {
        1 => TagKind.Subject,
        2 => TagKind.Person,
        3 => TagKind.Program,
        4 => TagKind.Geographic,
        5 => TagKind.Organisation,
        _ => TagKind.Unknown,
    };

    // cablemap: CABLE 1, EMAIL 2, BOOK 3, TEL 4, REPORT 5, FAX 6, MEMO 7, MEETING 8, WEB 9.
    private static int CablemapReferenceKind(ReferenceKind kind) => kind switch
    {
        ReferenceKind.Cable => 1,
        ReferenceKind.Email => 2,
        ReferenceKind.Book => 3,
        ReferenceKind.Telcon => 4,
        ReferenceKind.Report => 5,
        ReferenceKind.Memo => 7,
        ReferenceKind.Meeting => 8,
        _ => 0,
    };
}
