using System;
using System.IO;
using CompiledNets;
using CompiledNets.Tests.Numerics;
using Xunit;

namespace CompiledNets.Tests.EndToEnd;

/// <summary>
/// The seed network trained as samples/Mnist trains it (10 epochs, batch 32, Adam, first 8,000 digits of
/// data/mnist10k) reaches the accuracy the foundation issue promises on the last 2,000.
/// </summary>
public sealed class MnistTrainingTests
{
    [Fact]
    public void Seed_network_reaches_97_percent_test_accuracy()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "data");
        Dataset digits = Dataset.LoadIdx(Path.Combine(data, "images-idx3-ubyte.gz"), Path.Combine(data, "labels-idx1-ubyte.gz"));
        Assert.Equal(10_000, digits.Count);
        Dataset train = digits.Slice(0, 8000), test = digits.Slice(8000, 2000);
        var network = new SeedNet();

        History history = network.Fit(train, epochs: 10, batchSize: 32, optimizer: new Adam());
        Evaluation evaluation = network.Evaluate(test);

        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss / 3, "the training loss falls");
        Assert.True(evaluation.Accuracy >= 0.97, $"test accuracy {evaluation.Accuracy:0.0000}");
    }
}
