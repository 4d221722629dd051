namespace Appliance.Inference.Tokenization;

/// <summary>
/// Cuts each piece at the matches of a pattern. Behaviours follow the Rust crate (the reference JavaScript treats
/// every behaviour but Removed as Isolated); the tokenizers we check against use Isolated, where both agree.
/// </summary>
internal sealed class SplitPreTokenizer(SplitPattern pattern, SplitBehavior behavior) : PreTokenizer
{
    public override void PreTokenize(PreTokenizedText text)
    {
        text.BeginRewrite();
        for (var p = 0; p < text.Count; p++)
        {
            var piece = text.Piece(p);
            var pieces = new PieceMerger(text, text.PieceStart(p), behavior);
            var position = 0;
            while (position < piece.Length && pattern.TryFind(piece, position, out var matchStart, out var matchEnd))
            {
                if (matchStart > position)
                {
                    pieces.Add(position, matchStart, isMatch: false);
                }

                pieces.Add(matchStart, matchEnd, isMatch: true);
                position = matchEnd;
            }

            if (position < piece.Length)
            {
                pieces.Add(position, piece.Length, isMatch: false);
            }

            pieces.Flush();
        }

        text.EndRewrite();
    }

    /// <summary>
    /// Receives the alternating gaps and matches of one piece and emits pieces per behaviour. The last piece is held
    /// back, because MergedWithPrevious and Contiguous may extend it and MergedWithNext may pull the next one in.
    /// </summary>
    private struct PieceMerger(PreTokenizedText text, int offset, SplitBehavior behavior)
    {
        private int _start = -1;
        private int _end;
        private bool _lastWasMatch;
        private bool _heldIsLoneMatch;

        public void Add(int start, int end, bool isMatch)
        {
            var held = _start >= 0;
            var extend = behavior switch
            {
                SplitBehavior.MergedWithPrevious => isMatch && held && !_lastWasMatch,
                SplitBehavior.MergedWithNext => !isMatch && held && _heldIsLoneMatch,
                SplitBehavior.Contiguous => held && isMatch == _lastWasMatch,
                _ => false,
            };
            _lastWasMatch = isMatch;
            if (extend)
            {
                _end = end;
                _heldIsLoneMatch = false;
                return;
            }

            Flush();
            if (isMatch && behavior == SplitBehavior.Removed)
            {
                return;
            }

            _start = start;
            _end = end;
            _heldIsLoneMatch = isMatch;
        }

        public void Flush()
        {
            if (_start >= 0)
            {
                text.AddPiece(offset + _start, _end - _start);
                _start = -1;
            }
        }
    }
}
