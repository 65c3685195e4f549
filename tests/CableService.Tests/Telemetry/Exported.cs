using System.Collections.ObjectModel;

namespace CableService.Tests;

/// <summary>An in-memory exporter's target that the test may read while the exporter still adds to it.</summary>
public sealed class Exported<T> : Collection<T>
{
    private readonly Lock _lock = new();

    public T[] Snapshot()
    {
        lock (_lock)
        {
            return [.. this];
        }
    }

    protected override void InsertItem(int index, T item)
    {
        lock (_lock)
        {
            base.InsertItem(index, item);
        }
    }
}
