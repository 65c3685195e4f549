namespace Cables.Cli.Tests;

/// <summary>
/// A test class whose every test gets a fresh <see cref="TempFolder"/> (xUnit makes a test class per test), deleted when
/// the test ends.
/// </summary>
public abstract class FolderPerTest(string prefix) : IDisposable
{
    protected TempFolder Folder { get; } = new(prefix);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Folder.Dispose();
        }
    }
}
