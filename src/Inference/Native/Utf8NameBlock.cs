namespace Appliance.Inference.Native;

/// <summary>Several names encoded as consecutive NUL-terminated UTF-8 strings in one buffer, for calls taking <c>const char* const*</c>.</summary>
internal sealed unsafe class Utf8NameBlock
{
    private readonly int[] _offsets;

    public Utf8NameBlock(IReadOnlyList<string> names)
    {
        _offsets = new int[names.Count];
        var buffer = new List<byte>();
        for (var i = 0; i < names.Count; i++)
        {
            _offsets[i] = buffer.Count;
            buffer.AddRange(Utf8Name.NulTerminated(names[i]));
        }

        Bytes = [.. buffer];
    }

    public byte[] Bytes { get; }

    /// <summary>Writes a pointer to each name into <paramref name="pointers"/>, given the pinned address of <see cref="Bytes"/>.</summary>
    public void Fill(byte* pinnedBytes, byte** pointers)
    {
        for (var i = 0; i < _offsets.Length; i++)
        {
            pointers[i] = pinnedBytes + _offsets[i];
        }
    }
}
