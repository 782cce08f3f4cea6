using System;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class SeededRandomTests
{
    private const int Draws = 100_000;

    [Fact]
    public void The_same_seed_and_stream_give_the_same_sequence()
    {
        var a = new SeededRandom(42, stream: 3);
        var b = new SeededRandom(42, stream: 3);
        for (int i = 0; i < 1000; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Theory]
    [InlineData(42, 0, 42, 1)]
    [InlineData(42, 0, 43, 0)]
    [InlineData(0, 1, 1, 0)] // seed and stream are not interchangeable
    public void Different_seeds_or_streams_give_different_sequences(long seedA, long streamA, long seedB, long streamB)
    {
        var a = new SeededRandom(seedA, streamA);
        var b = new SeededRandom(seedB, streamB);
        int equal = 0;
        for (int i = 0; i < 1000; i++) if (a.NextUInt64() == b.NextUInt64()) equal++;
        Assert.Equal(0, equal);
    }

    [Fact]
    public void The_sequence_is_fixed_forever()
    {
        // Parameters, shuffles and dropout masks depend on these exact values: a change here changes every seeded run.
        // Seed 0 is SplitMix64's reference sequence from state 0 after its first output (0xE220A8397B1DCDAF) is skipped.
        var zero = new SeededRandom(0);
        Assert.Equal(0x6E789E6AA1B965F4UL, zero.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, zero.NextUInt64());
        Assert.Equal(0xF88BB8A8724C81ECUL, zero.NextUInt64());
        var seeded = new SeededRandom(42, stream: 7);
        Assert.Equal(0x946721AFC737E50AUL, seeded.NextUInt64());
        Assert.Equal(0xA51EB7CB7363E852UL, seeded.NextUInt64());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void NextInt32_stays_in_bounds(int maxExclusive)
    {
        var random = new SeededRandom(9);
        for (int i = 0; i < Draws; i++)
        {
            int value = random.NextInt32(maxExclusive);
            Assert.InRange(value, 0, maxExclusive - 1);
        }
    }

    [Fact]
    public void NextInt32_hits_every_value_about_equally_often()
    {
        var random = new SeededRandom(3);
        var counts = new int[10];
        for (int i = 0; i < Draws; i++) counts[random.NextInt32(10)]++;
        // Expected 10 000 each, standard deviation ~95: 5% (500) is over 5 sigma.
        Assert.All(counts, count => Assert.InRange(count, 9_500, 10_500));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NextInt32_rejects_an_empty_range(int maxExclusive)
    {
        var random = new SeededRandom(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt32(maxExclusive));
    }

    [Fact]
    public void NextSingle_is_in_the_unit_interval_and_covers_it()
    {
        var random = new SeededRandom(5);
        float min = float.MaxValue, max = float.MinValue;
        double sum = 0;
        for (int i = 0; i < Draws; i++)
        {
            float value = random.NextSingle();
            Assert.True(value >= 0f && value < 1f, $"draw {i} is {value}");
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            sum += value;
        }
        Assert.True(min < 0.001f && max > 0.999f, $"range [{min}, {max}]");
        // Mean of uniform [0, 1): 0.5 with standard error 0.29 / sqrt(1e5) = 9e-4.
        Assert.InRange(sum / Draws, 0.495, 0.505);
    }
}
