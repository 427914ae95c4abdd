namespace VirtSim.Datacenter.Containers;

/// <summary>
/// The layers a node keeps, by digest, bounded in bytes and shared by every image on the node.
/// Layers in use by a container are pinned; the least recently used unpinned layer is evicted
/// to make room. A layer that cannot be made room for is still handed to its container, but
/// not kept once that container is gone, so the cache never exceeds its capacity.
/// </summary>
public sealed class LayerCache
{
    private sealed class Entry(Layer layer)
    {
        public readonly Layer Layer = layer;
        public int Pins;
        public bool Cached;
        public LinkedListNode<Entry>? Node;
    }

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _unpinned = new();

    /// <summary>Creates a cache of <paramref name="capacityBytes"/>.</summary>
    public LayerCache(double capacityBytes) => CapacityBytes = capacityBytes;

    /// <summary>The most bytes kept.</summary>
    public double CapacityBytes { get; }

    /// <summary>Bytes kept now.</summary>
    public double UsedBytes { get; private set; }

    /// <summary>Whether the layer is on the node (cached or in use).</summary>
    public bool Holds(string digest) => _entries.ContainsKey(digest);

    /// <summary>Whether the layer is kept in the cache proper.</summary>
    public bool Caches(string digest) => _entries.TryGetValue(digest, out var e) && e.Cached;

    /// <summary>Looks a layer up for a container about to use it; if it is here, pins it and counts as a use.</summary>
    public bool TryPin(Layer layer)
    {
        if (!_entries.TryGetValue(layer.Digest, out var entry))
        {
            return false;
        }
        Pin(entry);
        return true;
    }

    /// <summary>Adds a layer just pulled, pinned for the container that needed it.</summary>
    public void AddPinned(Layer layer)
    {
        if (_entries.ContainsKey(layer.Digest))
        {
            Pin(_entries[layer.Digest]);
            return;
        }
        var entry = new Entry(layer);
        _entries.Add(layer.Digest, entry);
        entry.Pins = 1;
        // Make room among unpinned layers, oldest first; keep it only if it then fits.
        while (UsedBytes + layer.SizeBytes > CapacityBytes && _unpinned.First is { } oldest)
        {
            Evict(oldest.Value);
        }
        if (UsedBytes + layer.SizeBytes <= CapacityBytes)
        {
            entry.Cached = true;
            UsedBytes += layer.SizeBytes;
        }
    }

    /// <summary>A container stopped using the layer.</summary>
    public void Unpin(Layer layer)
    {
        var entry = _entries[layer.Digest];
        if (--entry.Pins > 0)
        {
            return;
        }
        if (!entry.Cached)
        {
            _entries.Remove(layer.Digest);
            return;
        }
        entry.Node = _unpinned.AddLast(entry);
    }

    private void Pin(Entry entry)
    {
        if (entry.Pins++ == 0 && entry.Node is not null)
        {
            _unpinned.Remove(entry.Node);
            entry.Node = null;
        }
    }

    private void Evict(Entry entry)
    {
        _unpinned.Remove(entry.Node!);
        entry.Node = null;
        _entries.Remove(entry.Layer.Digest);
        UsedBytes -= entry.Layer.SizeBytes;
    }
}
