using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class EpochOrderTests
{
    private const int Count = 100;

    [Fact]
    public void Shuffled_orders_are_permutations_that_differ_per_epoch_and_repeat_per_seed()
    {
        int[] epoch1 = Order(shuffle: true, seed: 0, epoch: 1);
        int[] epoch2 = Order(shuffle: true, seed: 0, epoch: 2);

        Assert.Equal(Enumerable.Range(0, Count), epoch1.Order());
        Assert.Equal(Enumerable.Range(0, Count), epoch2.Order());
        Assert.NotEqual(epoch1, epoch2);
        Assert.NotEqual(Enumerable.Range(0, Count), epoch1);
        Assert.Equal(epoch1, Order(shuffle: true, seed: 0, epoch: 1));
        Assert.NotEqual(epoch1, Order(shuffle: true, seed: 1, epoch: 1));
    }

    [Fact]
    public void An_epoch_order_does_not_depend_on_what_the_buffer_held_before()
    {
        var reused = new int[Count];
        EpochOrder.Fill(reused, shuffle: true, seed: 3, epoch: 1);
        EpochOrder.Fill(reused, shuffle: true, seed: 3, epoch: 2);
        Assert.Equal(Order(shuffle: true, seed: 3, epoch: 2), reused);
    }

    [Fact]
    public void Without_shuffling_the_order_is_the_dataset_order()
    {
        Assert.Equal(Enumerable.Range(0, Count), Order(shuffle: false, seed: 9, epoch: 4));
    }

    [Fact]
    public void Every_position_is_reachable()
    {
        // Over many epochs, sample 0 lands in every one of 10 positions: the shuffle is not stuck or biased to a corner.
        var seen = new bool[10];
        var order = new int[10];
        for (int epoch = 1; epoch <= 200; epoch++)
        {
            EpochOrder.Fill(order, shuffle: true, seed: 0, epoch);
            seen[Array.IndexOf(order, 0)] = true;
        }
        Assert.All(seen, Assert.True);
    }

    private static int[] Order(bool shuffle, int seed, int epoch)
    {
        var order = new int[Count];
        EpochOrder.Fill(order, shuffle, seed, epoch);
        return order;
    }
}
