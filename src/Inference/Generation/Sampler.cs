namespace Appliance.Inference.Generation;

/// <summary>
/// Picks the next token from a row of logits: greedy, or temperature / top-k / top-p / min-p sampling with its own
/// seeded <see cref="DeterministicRandom"/>, after an optional repetition penalty over the tokens it was shown through
/// <see cref="Observe(int)"/>. Buffers are sized to the vocabulary once, so sampling allocates nothing.
/// Ties between equal logits go to the lower token id, so results never depend on sort stability.
/// </summary>
public sealed class Sampler
{
    private readonly SamplerCandidate[] _candidates;
    private readonly DeterministicRandom _random;
    private readonly float[] _penalizedLogits;

    // The set of tokens in the sequence: a membership flag per id plus the ids themselves, so clearing it costs the
    // number of distinct tokens seen rather than the vocabulary, and nothing is reallocated between requests.
    private readonly bool[] _seen;
    private readonly int[] _seenIds;
    private int _seenCount;
    private SamplerSettings _settings;
    private int _count;
    private int _tokenIdLimit;

    public Sampler(int vocabSize, SamplerSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _candidates = new SamplerCandidate[vocabSize];
        _penalizedLogits = new float[vocabSize];
        _seen = new bool[vocabSize];
        _seenIds = new int[vocabSize];
        _settings = settings;
        _random = new DeterministicRandom(settings.Seed);
        _tokenIdLimit = vocabSize;
    }

    public int VocabSize => _candidates.Length;

    /// <summary>
    /// The tokens the latest <see cref="Sample"/> drew from, with their renormalised probabilities: most likely first
    /// when a top-k or top-p filter applied, else the whole vocabulary by id. Empty after a greedy pick.
    /// </summary>
    public ReadOnlySpan<SamplerCandidate> Candidates => _candidates.AsSpan(0, _count);

    /// <summary>
    /// Ids at or above this are never chosen (<see cref="VocabSize"/> unless <see cref="Reset(SamplerSettings, int)"/>
    /// narrowed it): models often pad their logits past the tokenizer's vocabulary, and those ids have no text.
    /// </summary>
    public int TokenIdLimit => _tokenIdLimit;

    /// <summary>Switches settings, restarts the random stream from their seed and forgets the observed tokens.</summary>
    public void Reset(SamplerSettings settings) => Reset(settings, VocabSize);

    /// <summary>As <see cref="Reset(SamplerSettings)"/>, choosing only ids below <paramref name="tokenIdLimit"/> from then on.</summary>
    public void Reset(SamplerSettings settings, int tokenIdLimit)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (tokenIdLimit < 1 || tokenIdLimit > VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenIdLimit), tokenIdLimit, $"The token id limit must be in [1, {VocabSize}] (the logits' size).");
        }

        _tokenIdLimit = tokenIdLimit;
        _settings = settings;
        _random.Reseed(settings.Seed);
        _count = 0;
        for (var i = 0; i < _seenCount; i++)
        {
            _seen[_seenIds[i]] = false;
        }

        _seenCount = 0;
    }

    /// <summary>Records a token of the sequence (prompt or generated) for the repetition penalty.</summary>
    public void Observe(int tokenId)
    {
        if ((uint)tokenId >= (uint)_seen.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenId), tokenId, $"Token id {tokenId} is outside the vocabulary [0, {_seen.Length}).");
        }

        if (!_seen[tokenId])
        {
            _seen[tokenId] = true;
            _seenIds[_seenCount++] = tokenId;
        }
    }

    /// <summary>Records every token of <paramref name="tokens"/> (see <see cref="Observe(int)"/>).</summary>
    public void Observe(ReadOnlySpan<int> tokens)
    {
        foreach (var token in tokens)
        {
            Observe(token);
        }
    }

    /// <summary>The token with the largest logit (the lowest id among equals).</summary>
    /// <exception cref="InvalidOperationException">A logit is NaN.</exception>
    public static int ArgMax(ReadOnlySpan<float> logits) => LogitArgMax.Find(logits);

    public int Sample(ReadOnlySpan<float> logits)
    {
        if (logits.Length != _candidates.Length)
        {
            throw new ArgumentException($"Expected {_candidates.Length} logits (the vocabulary), got {logits.Length}.", nameof(logits));
        }

        logits = ApplyRepetitionPenalty(logits[.._tokenIdLimit]);
        if (_settings.IsGreedy)
        {
            _count = 0;
            return ArgMax(logits);
        }

        var maxLogit = logits[ArgMax(logits)];
        if (float.IsNegativeInfinity(maxLogit))
        {
            throw new InvalidOperationException("Every logit is -infinity; no token can be sampled.");
        }

        var temperature = _settings.Temperature;
        var topK = _settings.TopK;
        double normaliser;
        if (topK > 0 && topK < logits.Length)
        {
            _count = SelectTopK(logits, topK);
            normaliser = Weigh(maxLogit, temperature);
        }
        else if (_settings.TopP < 1)
        {
            normaliser = SelectNucleusCandidates(logits, maxLogit, temperature);
        }
        else
        {
            for (var i = 0; i < logits.Length; i++)
            {
                _candidates[i] = new SamplerCandidate(i, logits[i], 0);
            }

            _count = logits.Length;
            normaliser = Weigh(maxLogit, temperature);
        }

        if (_settings.TopP < 1)
        {
            CutToNucleus(normaliser);
        }

        if (_settings.MinP > 0)
        {
            CutBelowMinP();
        }

        return Draw();
    }

    /// <summary>
    /// The logits with observed tokens penalised as Hugging Face's RepetitionPenaltyLogitsProcessor does, in float:
    /// positive logits divided by the penalty, the others multiplied by it.
    /// </summary>
    private ReadOnlySpan<float> ApplyRepetitionPenalty(ReadOnlySpan<float> logits)
    {
        if (_settings.RepetitionPenalty == 1 || _seenCount == 0)
        {
            return logits;
        }

        var penalty = (float)_settings.RepetitionPenalty;
        var penalized = _penalizedLogits.AsSpan(0, logits.Length);
        logits.CopyTo(penalized);
        for (var i = 0; i < _seenCount; i++)
        {
            var id = _seenIds[i];
            if (id < penalized.Length)
            {
                var logit = penalized[id];
                penalized[id] = logit > 0 ? logit / penalty : logit * penalty;
            }
        }

        return penalized;
    }

    /// <summary>
    /// Drops candidates whose probability is below min_p times the best one's. Weights are exp((logit - max) / T) with
    /// the best candidate's weight 1, so the ratio to the best probability is the weight itself.
    /// </summary>
    private void CutBelowMinP()
    {
        var minP = _settings.MinP;
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_candidates[i].Probability >= minP)
            {
                _candidates[kept++] = _candidates[i];
            }
        }

        _count = kept;
    }

    /// <summary>Keeps the k best candidates (min-heap of the current best, worst on top), then orders them best first.</summary>
    private int SelectTopK(ReadOnlySpan<float> logits, int k)
    {
        var heap = _candidates.AsSpan(0, k);
        for (var i = 0; i < k; i++)
        {
            heap[i] = new SamplerCandidate(i, logits[i], 0);
        }

        Heapify(heap);
        for (var i = k; i < logits.Length; i++)
        {
            var candidate = new SamplerCandidate(i, logits[i], 0);
            if (Precedes(candidate, heap[0]))
            {
                heap[0] = candidate;
                SiftDown(heap, 0);
            }
        }

        SortHeapBestFirst(heap);
        return k;
    }

    /// <summary>Higher logit first, then lower token id.</summary>
    private static bool Precedes(SamplerCandidate a, SamplerCandidate b) =>
        a.Logit > b.Logit || (a.Logit == b.Logit && a.TokenId < b.TokenId);

    // A heap with the worst candidate on top. Span.Sort would box a comparer and allocate a delegate per call; the
    // heap sorts in place allocation-free and doubles as the top-k selector.
    private static void Heapify(Span<SamplerCandidate> heap)
    {
        for (var i = (heap.Length / 2) - 1; i >= 0; i--)
        {
            SiftDown(heap, i);
        }
    }

    /// <summary>Repeatedly moves the worst remaining candidate to the end, leaving the heap sorted best first.</summary>
    private static void SortHeapBestFirst(Span<SamplerCandidate> heap)
    {
        for (var end = heap.Length - 1; end > 0; end--)
        {
            (heap[0], heap[end]) = (heap[end], heap[0]);
            SiftDown(heap[..end], 0);
        }
    }

    private static void SiftDown(Span<SamplerCandidate> heap, int index)
    {
        while (true)
        {
            var worst = index;
            var left = (2 * index) + 1;
            var right = left + 1;
            if (left < heap.Length && Precedes(heap[worst], heap[left]))
            {
                worst = left;
            }

            if (right < heap.Length && Precedes(heap[worst], heap[right]))
            {
                worst = right;
            }

            if (worst == index)
            {
                return;
            }

            (heap[index], heap[worst]) = (heap[worst], heap[index]);
            index = worst;
        }
    }

    /// <summary>
    /// Top-p without top-k: only tokens with probability >= (1 - top_p) / vocab can be in the nucleus (all smaller
    /// ones together hold less than 1 - top_p), so just those are sorted rather than the whole vocabulary.
    /// Returns the softmax denominator over the full vocabulary, which the nucleus is measured against.
    /// </summary>
    private double SelectNucleusCandidates(ReadOnlySpan<float> logits, float maxLogit, double temperature)
    {
        // Every weight is kept from the first pass so the second only compacts (in place: count <= i) instead of
        // computing exp over the vocabulary again.
        double total = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var weight = Math.Exp((logits[i] - maxLogit) / temperature);
            _candidates[i] = new SamplerCandidate(i, logits[i], weight);
            total += weight;
        }

        var threshold = (1 - _settings.TopP) / logits.Length * total;
        var count = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            if (_candidates[i].Probability >= threshold)
            {
                _candidates[count++] = _candidates[i];
            }
        }

        _count = count;
        var candidates = _candidates.AsSpan(0, count);
        Heapify(candidates);
        SortHeapBestFirst(candidates);
        return total;
    }

    /// <summary>Sets each candidate's unnormalised weight exp((logit - max) / T) and returns their sum.</summary>
    private double Weigh(float maxLogit, double temperature)
    {
        double total = 0;
        for (var i = 0; i < _count; i++)
        {
            var c = _candidates[i];
            var weight = Math.Exp((c.Logit - maxLogit) / temperature);
            _candidates[i] = c with { Probability = weight };
            total += weight;
        }

        return total;
    }

    /// <summary>Keeps candidates while the probability of the ones before them is still below top_p.</summary>
    private void CutToNucleus(double normaliser)
    {
        double before = 0;
        var kept = 0;
        while (kept < _count && before < _settings.TopP)
        {
            before += _candidates[kept].Probability / normaliser;
            kept++;
        }

        _count = kept;
    }

    /// <summary>Renormalises the kept candidates' weights to probabilities and draws one.</summary>
    private int Draw()
    {
        double total = 0;
        for (var i = 0; i < _count; i++)
        {
            total += _candidates[i].Probability;
        }

        var target = _random.NextDouble();
        double cumulative = 0;
        var chosen = _candidates[_count - 1].TokenId;
        var found = false;
        for (var i = 0; i < _count; i++)
        {
            var c = _candidates[i];
            var probability = c.Probability / total;
            _candidates[i] = c with { Probability = probability };
            cumulative += probability;
            if (!found && target < cumulative)
            {
                chosen = c.TokenId;
                found = true;
            }
        }

        return chosen;
    }
}
