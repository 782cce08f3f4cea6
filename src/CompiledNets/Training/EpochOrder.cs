using System;

namespace CompiledNets;

/// <summary>The order in which an epoch visits the training samples.</summary>
internal static class EpochOrder
{
    /// <summary>
    /// Writes 0..n-1 into <paramref name="order"/>, then, when <paramref name="shuffle"/> is set, permutes it with a
    /// Fisher–Yates shuffle drawn from (<paramref name="seed"/>, <paramref name="epoch"/>). Starting from the identity
    /// each epoch makes the order depend on those two numbers only, not on the epochs before.
    /// </summary>
    public static void Fill(Span<int> order, bool shuffle, int seed, int epoch)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        if (!shuffle) return;

        var random = new SeededRandom(seed, stream: epoch);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
