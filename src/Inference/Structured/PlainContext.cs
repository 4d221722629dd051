namespace Appliance.Inference.Structured;

/// <summary>
/// A matcher state between two characters of a string, as the mask's fast path needs it.
/// </summary>
/// <param name="Room">How many more characters fit (int.MaxValue: no limit).</param>
/// <param name="WorstAfter">At most this many bytes finish the value after any plain token.</param>
/// <param name="WholeAfter">At most this many bytes finish it after a plain token that ends between characters.</param>
/// <param name="WholeAfterExact">Whether, when <paramref name="WholeAfter"/> exceeds the budget, no such token fits.</param>
internal readonly record struct PlainContext(int Room, int WorstAfter, int WholeAfter, bool WholeAfterExact);
