using System.Runtime.InteropServices;
using Appliance.Inference.Models;
using Appliance.Inference.Runtime;
using Appliance.Inference.Sessions;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Generation;

/// <summary>
/// One decoder model on ONNX Runtime with its KV cache: <see cref="Forward"/> appends tokens to the cached sequence
/// and leaves the logits of the last position in <see cref="Logits"/>. Inputs, outputs and cache live in buffers
/// allocated once and bound through one <see cref="OrtIoBinding"/>, so a decode step allocates no managed memory.
/// </summary>
public sealed unsafe class DecoderSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly StepBinding _binding;
    private readonly RunOptions _defaultRunOptions = new();
    private readonly DecoderSignature _signature;
    private readonly KvCache[] _caches;
    private readonly int[] _lengths;
    private readonly NativeTensor _inputIds;
    private readonly NativeTensor _attentionMask;
    private readonly NativeTensor? _positionIds;
    private readonly NativeTensor _lastLogits;
    private readonly float[]? _convertedLogits;
    private readonly BoundName _inputIdsName;
    private readonly BoundName _attentionMaskName;
    private readonly BoundName? _positionIdsName;
    private readonly BoundName _logitsName;
    private bool _logitsBoundToSlot;
    private int _slot;

    private DecoderSession(ModelDirectory model, InferenceSession session, DecoderSignature signature, int capacity, int prefixCacheSlots)
    {
        _session = session;
        _signature = signature;
        Model = model;
        Capacity = capacity;
        VocabSize = model.Config.Model.VocabSize;
        var decoder = model.Config.Model.Decoder;
        _binding = new StepBinding(session);
        _inputIdsName = new BoundName(signature.InputIds);
        _attentionMaskName = new BoundName(signature.AttentionMask);
        _logitsName = new BoundName(signature.Logits);

        // Logits are bound first so that, when ONNX Runtime allocates them (all-logits prefill), they are output 0.
        _lastLogits = new NativeTensor(signature.LogitsType, (long)VocabSize * OnnxElementTypes.SizeOf(signature.LogitsType), [1, 1, VocabSize]);
        _binding.BindOutput(_logitsName, _lastLogits);
        _logitsBoundToSlot = true;
        _convertedLogits = signature.LogitsType == OnnxElementType.Float ? null : new float[VocabSize];

        _inputIds = new NativeTensor(OnnxElementType.Int64, capacity * sizeof(long), [1, 1]);
        _attentionMask = new NativeTensor(OnnxElementType.Int64, capacity * sizeof(long), [1, 1]);
        new Span<long>(_attentionMask.Data, capacity).Fill(1);
        if (signature.PositionIds is { } positionIds)
        {
            _positionIds = new NativeTensor(OnnxElementType.Int64, capacity * sizeof(long), [1, 1]);
            _positionIdsName = new BoundName(positionIds);
        }

        PrefixCacheSlots = prefixCacheSlots;
        _caches = new KvCache[Math.Max(1, prefixCacheSlots)];
        _lengths = new int[_caches.Length];
        try
        {
            for (var i = 0; i < _caches.Length; i++)
            {
                _caches[i] = new KvCache(signature, decoder.NumKeyValueHeads, decoder.HeadSize, capacity, model.Config.Search.PastPresentShareBuffer);
            }
        }
        catch
        {
            DisposeCaches();
            throw;
        }

        _binding.BindInput(_inputIdsName, _inputIds);
        _binding.BindInput(_attentionMaskName, _attentionMask);
        if (_positionIds is not null)
        {
            _binding.BindInput(_positionIdsName!, _positionIds);
        }
    }

    public ModelDirectory Model { get; }

    /// <summary>Longest sequence (prompt + generated tokens) the cache holds.</summary>
    public int Capacity { get; }

    /// <summary>Tokens in the selected cache.</summary>
    public int Length
    {
        get => _lengths[_slot];
        private set => _lengths[_slot] = value;
    }

    /// <summary>KV caches kept for prefix reuse (<see cref="DecoderSessionOptions.PrefixCacheSlots"/>); 0 = one cache, no reuse.</summary>
    public int PrefixCacheSlots { get; }

    /// <summary>The KV cache <see cref="Forward(ReadOnlySpan{int}, RunOptions?)"/> extends; see <see cref="SelectSlot"/>.</summary>
    public int Slot => _slot;

    public int VocabSize { get; }

    /// <summary>Past and present KV share one buffer per tensor (see <see cref="KvCache"/>).</summary>
    public bool SharesKvBuffer => _caches[0].SharesBuffer;

    /// <summary>Native bytes reserved for the KV caches (all slots); pages become resident as positions are written.</summary>
    public long KvCacheBytes => _caches[0].AllocatedBytes * _caches.Length;

    /// <summary>Bytes of the KV caches (all slots) in RAM now: the pages written so far.</summary>
    public long KvCacheResidentBytes => _caches.Sum(cache => cache.ResidentBytes);

    /// <summary>Bytes of keys and values one cached position occupies across all layers.</summary>
    public long KvBytesPerPosition => _caches[0].BytesPerPosition;

    /// <summary>
    /// The graph outputs logits for every position it is fed ([1, n, vocab]), so <see cref="Forward(ReadOnlySpan{int}, Span{float}, RunOptions?)"/>
    /// can return them all from one run; otherwise only the last position's exist.
    /// </summary>
    public bool OutputsAllLogits => !_signature.LogitsLastPositionOnly;

    /// <summary>Logits of the last position after the latest <see cref="Forward(ReadOnlySpan{int}, RunOptions?)"/>; valid until the next call.</summary>
    public ReadOnlySpan<float> Logits =>
        _convertedLogits ?? new ReadOnlySpan<float>(_lastLogits.Data, VocabSize);

    /// <exception cref="ModelDirectoryException">ONNX Runtime refuses the model file, or its inputs and outputs disagree with genai_config.json.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The loaded ONNX Runtime cannot run the configured provider.</exception>
    public static DecoderSession Open(ModelDirectory model, DecoderSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new DecoderSessionOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.PrefixCacheSlots, nameof(options.PrefixCacheSlots));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PrefixCacheSlots, DecoderSessionOptions.MaxPrefixCacheSlots, nameof(options.PrefixCacheSlots));
        OrtLibrary.EnsureLoaded();
        var config = model.Config;
        var capacity = options.MaxSequenceLength > 0 ? Math.Min(options.MaxSequenceLength, config.MaxSequenceLength) : config.MaxSequenceLength;

        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = options.OptimizationLevel };
        var threads = options.IntraOpThreads > 0 ? options.IntraOpThreads : config.Model.Decoder.SessionOptions.IntraOpNumThreads ?? 0;
        if (threads > 0)
        {
            sessionOptions.IntraOpNumThreads = threads;
        }

        if (options.ProfilePathPrefix is { } prefix)
        {
            // The managed API hands ONNX Runtime the prefix when profiling is switched on, so it must be set first.
            sessionOptions.ProfileOutputPathPrefix = prefix;
            sessionOptions.EnableProfiling = true;
        }

        foreach (var (key, value) in options.ConfigEntries)
        {
            sessionOptions.AddSessionConfigEntry(key, value);
        }

        ExecutionProviders.Append(sessionOptions, options.ExecutionProvider);
        InferenceSession session;
        SessionCacheResult sessionCache;
        try
        {
            (session, sessionCache) = options.SessionCacheDirectory is { } cacheRoot && options.ExecutionProvider.Kind == ExecutionProviderKind.Cpu
                ? new OptimizedModelCache(cacheRoot).Open(model, sessionOptions, CacheSettings(options))
                : (new InferenceSession(model.DecoderPath, sessionOptions), SessionCacheResult.Off);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelDirectoryException($"ONNX Runtime cannot load {model.DecoderPath}: {e.Message}", e);
        }

        try
        {
            var signature = DecoderSignature.Resolve(
                config,
                NodeInfo.Read(session.InputNames, session.InputMetadata, "input"),
                NodeInfo.Read(session.OutputNames, session.OutputMetadata, "output"),
                model.DecoderPath);
            return new DecoderSession(model, session, signature, capacity, options.PrefixCacheSlots) { SessionCache = sessionCache };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>What <see cref="DecoderSessionOptions.SessionCacheDirectory"/> did when the session was created.</summary>
    public SessionCacheResult SessionCache { get; private init; } = SessionCacheResult.Off;

    /// <summary>Everything besides the model, runtime and CPU that shapes the optimised graph: the cache key's settings part.</summary>
    private static string CacheSettings(DecoderSessionOptions options) =>
        string.Join(';', [$"optimization={options.OptimizationLevel}", .. options.ConfigEntries.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key}={entry.Value}")]);

    /// <summary>Forgets the cached sequence; the next <see cref="Forward"/> starts a new one.</summary>
    public void Reset() => Truncate(0);

    /// <summary>Keeps the first <paramref name="length"/> cached positions; the next <see cref="Forward"/> continues from there.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        _caches[_slot].Truncate(Length, length);
        Length = length;
    }

    /// <summary>Makes cache <paramref name="slot"/> (below <c>max(1, PrefixCacheSlots)</c>) the one later calls use; each keeps its own sequence.</summary>
    public void SelectSlot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, _caches.Length);
        if (slot != _slot)
        {
            _caches[slot].Unbind();
            _slot = slot;
        }
    }

    /// <summary>
    /// Runs the decoder on <paramref name="tokens"/> appended to the cached sequence and leaves the last position's
    /// logits in <see cref="Logits"/>. On failure (or termination through <paramref name="runOptions"/>) the cached
    /// sequence is unchanged.
    /// </summary>
    public void Forward(ReadOnlySpan<int> tokens, RunOptions? runOptions = null) => Run(tokens, runOptions, default);

    /// <summary>
    /// Like <see cref="Forward(ReadOnlySpan{int}, RunOptions?)"/>, and also copies every fed position's logits into
    /// <paramref name="allLogits"/> ([tokens.Length, vocab] row-major). Needs a graph that outputs them all
    /// (<see cref="OutputsAllLogits"/>); scoring a text (perplexity, divergence between two models) needs nothing else.
    /// </summary>
    public void Forward(ReadOnlySpan<int> tokens, Span<float> allLogits, RunOptions? runOptions = null)
    {
        if (!OutputsAllLogits && tokens.Length > 1)
        {
            throw new InvalidOperationException(
                $"{Model.DecoderPath} outputs only the last position's logits; feed one token at a time, or use a graph with logits for every position.");
        }

        if (allLogits.Length != (long)tokens.Length * VocabSize)
        {
            throw new ArgumentException($"Expected room for {tokens.Length} x {VocabSize} logits, got {allLogits.Length}.", nameof(allLogits));
        }

        Run(tokens, runOptions, allLogits);
    }

    private void Run(ReadOnlySpan<int> tokens, RunOptions? runOptions, Span<float> allLogits)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("At least one token is needed.", nameof(tokens));
        }

        var total = Length + tokens.Length;
        if (total > Capacity)
        {
            throw new ContextLengthExceededException(Length, tokens.Length, Capacity);
        }

        var ids = new Span<long>(_inputIds.Data, tokens.Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if ((uint)token >= (uint)VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token id {token} at position {i} is outside the vocabulary [0, {VocabSize}).");
            }

            ids[i] = token;
        }

        Span<long> shape = [1, tokens.Length];
        Rebind(_inputIdsName, _inputIds, shape);
        if (_positionIds is not null)
        {
            var positions = new Span<long>(_positionIds.Data, tokens.Length);
            for (var i = 0; i < positions.Length; i++)
            {
                positions[i] = Length + i;
            }

            Rebind(_positionIdsName!, _positionIds, shape);
        }

        shape[1] = total;
        Rebind(_attentionMaskName, _attentionMask, shape);
        _caches[_slot].Bind(_binding, Length, tokens.Length);

        var allocateLogits = !_signature.LogitsLastPositionOnly && tokens.Length > 1;
        BindLogits(allocateLogits);
        _session.RunWithBinding(runOptions ?? _defaultRunOptions, _binding.Binding);

        if (allocateLogits)
        {
            CopyAllocatedLogits(tokens.Length, allLogits);
        }

        _caches[_slot].Advance();
        Length = total;
        if (_convertedLogits is not null && !allocateLogits)
        {
            ConvertHalves(new ReadOnlySpan<Half>(_lastLogits.Data, VocabSize), _convertedLogits);
        }

        if (!allocateLogits && !allLogits.IsEmpty)
        {
            Logits.CopyTo(allLogits);
        }
    }

    /// <summary>Stops ONNX Runtime's profiler and returns the trace path (needs <see cref="DecoderSessionOptions.ProfilePathPrefix"/>).</summary>
    public string EndProfiling() => _session.EndProfiling();

    public void Dispose()
    {
        _binding.Dispose();
        _defaultRunOptions.Dispose();
        DisposeCaches();
        _inputIds.Dispose();
        _attentionMask.Dispose();
        _positionIds?.Dispose();
        _lastLogits.Dispose();
        _session.Dispose();
    }

    private void DisposeCaches()
    {
        foreach (var cache in _caches)
        {
            cache?.Dispose();
        }
    }

    private static void ConvertHalves(ReadOnlySpan<Half> source, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }

    private void Rebind(BoundName name, NativeTensor slot, ReadOnlySpan<long> shape)
    {
        if (slot.Reshape(shape))
        {
            _binding.BindInput(name, slot);
        }
    }

    private void BindLogits(bool allocate)
    {
        if (allocate)
        {
            _binding.BindOutputToCpu(_logitsName);
            _logitsBoundToSlot = false;
        }
        else if (!_logitsBoundToSlot)
        {
            _binding.BindOutput(_logitsName, _lastLogits);
            _logitsBoundToSlot = true;
        }
    }

    // Only for graphs emitting every position's logits ([1, n, vocab]); a multi-token prefill lets ONNX Runtime size
    // that output rather than preallocating n x vocab floats for the longest prompt. Copies the last row to Logits and,
    // when asked, every row to allRows.
    private void CopyAllocatedLogits(int tokenCount, Span<float> allRows)
    {
        var outputs = _binding.Binding.GetOutputValues();
        try
        {
            var logits = outputs[0];
            var shape = logits.GetTensorTypeAndShape().Shape;
            if (shape is not [1, var rows, var vocab] || rows != tokenCount || vocab != VocabSize)
            {
                throw new InvalidOperationException(
                    $"Logits output '{_signature.Logits}' has shape [{string.Join(", ", shape)}], expected [1, {tokenCount}, {VocabSize}].");
            }

            var lastRowStart = (tokenCount - 1) * VocabSize;
            var destination = _convertedLogits ?? new Span<float>(_lastLogits.Data, VocabSize);
            if (_signature.LogitsType == OnnxElementType.Float)
            {
                var values = logits.GetTensorDataAsSpan<float>();
                values.Slice(lastRowStart, VocabSize).CopyTo(destination);
                if (!allRows.IsEmpty)
                {
                    values.CopyTo(allRows);
                }
            }
            else
            {
                // ONNX Runtime's managed API types float16 tensors as its own Float16; the bits are IEEE half.
                var halves = MemoryMarshal.Cast<Float16, Half>(logits.GetTensorDataAsSpan<Float16>());
                ConvertHalves(halves.Slice(lastRowStart, VocabSize), destination);
                if (!allRows.IsEmpty)
                {
                    ConvertHalves(halves, allRows);
                }
            }
        }
        finally
        {
            outputs.Dispose();
        }
    }
}
