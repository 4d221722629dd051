namespace Appliance.Inference.Templates;

/// <summary>
/// A stable merge sort. The sort filters must keep equal items in their original order (as JavaScript's sort does),
/// and comparison errors must surface as they are, not wrapped the way List.Sort wraps them.
/// </summary>
internal static class StableSort
{
    public static List<T> Sort<T>(IReadOnlyList<T> items, Comparison<T> compare)
    {
        var result = items.ToArray();
        var buffer = new T[result.Length];
        for (var width = 1; width < result.Length; width *= 2)
        {
            for (var left = 0; left < result.Length - width; left += 2 * width)
            {
                Merge(result, buffer, left, left + width, Math.Min(left + (2 * width), result.Length), compare);
            }
        }

        return [.. result];
    }

    private static void Merge<T>(T[] items, T[] buffer, int left, int middle, int right, Comparison<T> compare)
    {
        Array.Copy(items, left, buffer, left, right - left);
        int i = left, j = middle, k = left;
        while (i < middle && j < right)
        {
            items[k++] = compare(buffer[j], buffer[i]) < 0 ? buffer[j++] : buffer[i++];
        }

        while (i < middle)
        {
            items[k++] = buffer[i++];
        }

        while (j < right)
        {
            items[k++] = buffer[j++];
        }
    }
}
