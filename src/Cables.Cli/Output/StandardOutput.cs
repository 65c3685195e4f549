using System.Text;

namespace Cables.Cli.Output;

/// <summary>
/// Console.Out flushes on every write, which makes piping thousands of JSON lines slow. When the command
/// writes to the real, redirected stdout, hand it a buffered writer instead; a terminal keeps line-by-line
/// output so rows show up as they stream; any other writer (tests) is used as given.
/// </summary>
public sealed class StandardOutput : IAsyncDisposable
{
    private readonly StreamWriter? _owned;

    private StandardOutput(TextWriter writer, StreamWriter? owned)
    {
        Writer = writer;
        _owned = owned;
    }

    public TextWriter Writer { get; }

    public static StandardOutput For(TextWriter output)
    {
        if (!ReferenceEquals(output, Console.Out) || !Console.IsOutputRedirected)
        {
            return new StandardOutput(output, null);
        }

        var buffered = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        return new StandardOutput(buffered, buffered);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
        else
        {
            await Writer.FlushAsync();
        }
    }
}
