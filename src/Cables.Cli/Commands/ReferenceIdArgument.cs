using System.CommandLine;

namespace Cables.Cli.Commands;

/// <summary>The <c>ID</c> argument of the commands about one cable.</summary>
public static class ReferenceIdArgument
{
    public static Argument<string> Create() => new("ID") { Description = "Reference id, e.g. 08BRUSSELS1390" };
}
