namespace VirtSim.Kernel;

// The ladder's storage: buckets as lists of chunks of events from one pool.
internal sealed partial class LadderQueue
{
    // Events per chunk (a power of two): 8 entries are three cache lines.
    private const int ChunkShift = 3;
    private const int ChunkSize = 1 << ChunkShift;

    // The chunk pool: chunk c holds _slots[c * ChunkSize ..] and links to _chunkNext[c] (-1 ends
    // a list). The links live apart from the events, in an array small enough to stay in cache,
    // so a bucket's chunks can be found, and their memory requested, before any is read.
    private EventQueue.Entry[] _slots = new EventQueue.Entry[256 * ChunkSize];
    private int[] _chunkNext = new int[256];
    private int _chunksUsed;
    private int _freeChunk = -1;

    /// <summary>Appends an event to a bucket, starting a chunk when the newest one is full.</summary>
    private void Add(ref Bucket bucket, in EventQueue.Entry entry)
    {
        int fill = bucket.Count & (ChunkSize - 1);
        if (fill == 0)
        {
            int chunk = AllocateChunk();
            _chunkNext[chunk] = bucket.Head;
            bucket.Head = chunk;
        }
        _slots[(bucket.Head << ChunkShift) + fill] = entry;
        bucket.Count++;
    }

    /// <summary>Asks for the memory of every chunk of a bucket before it is read.</summary>
    private void RequestMemory(in Bucket bucket)
    {
        for (var chunk = Chunks(bucket); chunk.MoveNext();)
        {
            Prefetch.Element(ref _slots[chunk.First]);
            Prefetch.Element(ref _slots[chunk.First + ChunkSize - 1]);
        }
    }

    private void EnsureChunks(int chunks)
    {
        if (_chunkNext.Length < chunks)
        {
            int length = Math.Max(chunks, 2 * _chunkNext.Length);
            Array.Resize(ref _chunkNext, length);
            Array.Resize(ref _slots, length << ChunkShift);
        }
    }

    private int AllocateChunk()
    {
        if (_freeChunk >= 0)
        {
            int chunk = _freeChunk;
            _freeChunk = _chunkNext[chunk];
            return chunk;
        }
        EnsureChunks(_chunksUsed + 1);
        return _chunksUsed++;
    }

    /// <summary>Returns a chunk to the pool, dropping its references so the collector can free what they held.</summary>
    private void ReleaseChunk(int chunk)
    {
        int first = chunk << ChunkShift;
        for (int i = first; i < first + ChunkSize; i++)
        {
            _slots[i] = default;
        }
        _chunkNext[chunk] = _freeChunk;
        _freeChunk = chunk;
    }

    private ChunkWalk Chunks(in Bucket bucket) => new(this, bucket);

    /// <summary>
    /// Walks a bucket's chunks: the newest (at the head) holds the remainder, every other one is
    /// full. The next link is read before a chunk is handed out, so the chunk may be released
    /// (and the pool grow) before the walk moves on.
    /// </summary>
    private struct ChunkWalk(LadderQueue queue, Bucket bucket)
    {
        private int _next = bucket.Head;
        private int _fill = ((bucket.Count - 1) & (ChunkSize - 1)) + 1;

        /// <summary>The chunk, and its events' slots from <see cref="First"/> to before <see cref="End"/>.</summary>
        public int Index { get; private set; }
        public int First { get; private set; }
        public int End { get; private set; }

        public bool MoveNext()
        {
            if (_next < 0)
            {
                return false;
            }
            Index = _next;
            _next = queue._chunkNext[Index];
            First = Index << ChunkShift;
            End = First + _fill;
            _fill = ChunkSize;
            return true;
        }
    }

    /// <summary>A bucket: the chunk with its newest events (-1 if none) and how many events.</summary>
    private struct Bucket
    {
        public int Head;
        public int Count;

        public static Bucket Empty => new() { Head = -1 };
    }
}
