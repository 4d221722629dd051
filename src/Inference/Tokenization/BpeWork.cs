namespace Appliance.Inference.Tokenization;

/// <summary>Working arrays for merging one word: symbols as a linked list plus a min-heap of candidate merges.</summary>
internal sealed class BpeWork
{
    public int[] Ids { get; private set; } = new int[64];

    public int[] CodePoints { get; private set; } = new int[64];

    public int[] Previous { get; private set; } = new int[64];

    public int[] Next { get; private set; } = new int[64];

    public List<int> Output { get; } = [];

    private long[] _heap = new long[64];
    private int _heapCount;

    public void EnsureSymbols(int count)
    {
        if (Ids.Length >= count)
        {
            return;
        }

        var size = Math.Max(count, Ids.Length * 2);
        Ids = new int[size];
        CodePoints = new int[size];
        Previous = new int[size];
        Next = new int[size];
    }

    public void ClearHeap() => _heapCount = 0;

    public bool HeapIsEmpty => _heapCount == 0;

    public void Push(long key)
    {
        if (_heapCount == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        var i = _heapCount++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (_heap[parent] <= key)
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = key;
    }

    public long Pop()
    {
        var top = _heap[0];
        var last = _heap[--_heapCount];
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= _heapCount)
            {
                break;
            }

            if (child + 1 < _heapCount && _heap[child + 1] < _heap[child])
            {
                child++;
            }

            if (last <= _heap[child])
            {
                break;
            }

            _heap[i] = _heap[child];
            i = child;
        }

        if (_heapCount > 0)
        {
            _heap[i] = last;
        }

        return top;
    }
}
