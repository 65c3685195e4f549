using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Cables.Cli.Commands;

/// <summary>The filters <c>query</c>, <c>count</c> and <c>watch</c> share, and their translation to a <see cref="V1.CableFilter"/>.</summary>
public sealed class FilterOptions
{
    private readonly Option<string[]> _tags = new("--tag") { Description = "Cables carrying this tag; repeat to require all of them", HelpName = "TAG" };
    private readonly Option<string[]> _anyTags = new("--any-tag") { Description = "Cables carrying at least one of these tags (repeatable)", HelpName = "TAG" };
    private readonly Option<string[]> _origins = new("--origin") { Description = "Origin post as archived, e.g. \"Embassy Brussels\" (repeatable: any of them)", HelpName = "ORIGIN" };
    private readonly Option<DateTime?> _from;
    private readonly Option<DateTime?> _to;
    private readonly Option<V1.ClassificationLevel> _maxClassification = new("--max-classification")
    {
        Description = "Highest classification: unclassified, fouo, confidential, secret, top-secret",
        HelpName = "LEVEL",
        CustomParser = ParseLevel,
    };

    private readonly Option<string?> _text = new("--text") { Description = "Full-text query (websearch syntax: words, \"phrases\", -excluded, or)", HelpName = "QUERY" };
    private readonly Option<string?> _cites = new("--cites") { Description = "Cables whose references include this cable id", HelpName = "ID" };

    /// <param name="datePrefix">Prefix of the date bounds' names: <c>--from</c>/<c>--to</c> by default; <c>watch</c>, whose
    /// <c>--from</c> is a position, names them <c>--created-from</c>/<c>--created-to</c>.</param>
    public FilterOptions(string datePrefix = "")
    {
        _from = new($"--{datePrefix}from") { Description = "Created on or after (YYYY-MM-DD or RFC 3339)", HelpName = "DATE", CustomParser = r => ParseDate(r, endOfDay: false) };
        _to = new($"--{datePrefix}to") { Description = "Created before (RFC 3339), or on or before a YYYY-MM-DD day", HelpName = "DATE", CustomParser = r => ParseDate(r, endOfDay: true) };
    }

    public IEnumerable<Option> All => [_tags, _anyTags, _origins, _from, _to, _maxClassification, _text, _cites];

    /// <summary>Adds every filter option to <paramref name="command"/>, and returns it.</summary>
    public Command AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        return command;
    }

    public V1.CableFilter ToFilter(ParseResult result)
    {
        var filter = new V1.CableFilter
        {
            MaxClassification = result.GetValue(_maxClassification),
            Text = result.GetValue(_text) ?? "",
            Cites = result.GetValue(_cites) ?? "",
            CreatedFrom = result.GetValue(_from) is { } from ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(from) : null,
            CreatedTo = result.GetValue(_to) is { } to ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(to) : null,
        };
        filter.AllTags.Add(result.GetValue(_tags) ?? []);
        filter.AnyTags.Add(result.GetValue(_anyTags) ?? []);
        filter.Origins.Add(result.GetValue(_origins) ?? []);
        return filter;
    }

    /// <summary>
    /// A YYYY-MM-DD day means midnight UTC; as an upper bound it means the end of that day (the API's bound is
    /// exclusive, so the next midnight), so <c>--from 2008-01-01 --to 2008-12-31</c> is the whole year.
    /// </summary>
    internal static DateTime? ParseDate(ArgumentResult result, bool endOfDay)
    {
        var text = result.Tokens.Single().Value;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return endOfDay ? midnight.AddDays(1) : midnight;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            return time.UtcDateTime;
        }

        result.AddError($"'{text}' is not a date: use YYYY-MM-DD or RFC 3339 (2008-09-05T18:18:00Z)");
        return null;
    }

    internal static V1.ClassificationLevel ParseLevel(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var key = new string([.. text.Where(char.IsLetter)]).ToUpperInvariant();
        V1.ClassificationLevel? level = key switch
        {
            "UNCLASSIFIED" or "U" => V1.ClassificationLevel.Unclassified,
            "FOUO" or "SBU" or "UNCLASSIFIEDFOUO" or "UNCLASSIFIEDFOROFFICIALUSEONLY" => V1.ClassificationLevel.UnclassifiedFouo,
            "CONFIDENTIAL" or "C" => V1.ClassificationLevel.Confidential,
            "SECRET" or "S" => V1.ClassificationLevel.Secret,
            "TOPSECRET" or "TS" => V1.ClassificationLevel.TopSecret,
            _ => null,
        };
        if (level is null)
        {
            result.AddError($"'{text}' is not a classification: use unclassified, fouo, confidential, secret or top-secret");
            return V1.ClassificationLevel.Unspecified;
        }

        return level.Value;
    }
}
