namespace VirtSim.Datacenter.Virtualization;

/// <summary>
/// The VM images a host keeps on its disk, bounded in bytes; the least recently used image is
/// evicted to make room. A host that holds an image boots from it without a transfer.
/// </summary>
public sealed class ImageCache
{
    private readonly LinkedList<VmImage> _order = new();
    private readonly Dictionary<VmImage, LinkedListNode<VmImage>> _entries = [];

    /// <summary>Creates a cache of <paramref name="capacityBytes"/>.</summary>
    public ImageCache(double capacityBytes) => CapacityBytes = capacityBytes;

    /// <summary>The most bytes kept.</summary>
    public double CapacityBytes { get; }

    /// <summary>Bytes kept now.</summary>
    public double UsedBytes { get; private set; }

    /// <summary>Images kept now.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether the image is here; a hit makes it the most recently used.</summary>
    public bool TryUse(VmImage image)
    {
        if (!_entries.TryGetValue(image, out var node))
        {
            return false;
        }
        _order.Remove(node);
        _order.AddLast(node);
        return true;
    }

    /// <summary>Keeps <paramref name="image"/>, evicting the least recently used until it fits; an image larger than the cache is not kept.</summary>
    public void Add(VmImage image)
    {
        if (_entries.ContainsKey(image) || image.SizeBytes > CapacityBytes)
        {
            return;
        }
        while (UsedBytes + image.SizeBytes > CapacityBytes)
        {
            var oldest = _order.First!;
            _order.RemoveFirst();
            _entries.Remove(oldest.Value);
            UsedBytes -= oldest.Value.SizeBytes;
        }
        _entries[image] = _order.AddLast(image);
        UsedBytes += image.SizeBytes;
    }

    /// <summary>Whether the image is here, without touching the order.</summary>
    public bool Contains(VmImage image) => _entries.ContainsKey(image);
}
