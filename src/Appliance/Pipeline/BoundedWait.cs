namespace Appliance.Pipeline;

/// <summary>Waits that a stop must not let hang: false when the task did not end within the limit (it keeps running).</summary>
internal static class BoundedWait
{
    public static async Task<bool> EndsWithinAsync(this Task task, TimeSpan limit, TimeProvider time)
    {
        try
        {
            await task.WaitAsync(limit, time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
