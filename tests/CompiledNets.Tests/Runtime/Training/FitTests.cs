using System;
using System.Linq;
using Xunit;

namespace CompiledNets.Tests.Runtime;

public sealed class FitTests
{
    // 150 samples in batches of 16: 9 full batches and a last one of 6.
    private const int PerClass = 50;
    private const int BatchSize = 16;

    [Fact]
    public void Fit_lowers_the_loss_and_the_network_then_classifies_well()
    {
        Dataset train = SyntheticData.Clusters(PerClass);
        var network = new SoftmaxRegression(seed: 1);
        // The mean loss of the untrained network over the whole set (ComputeGradients leaves the parameters alone).
        float before = network.ComputeGradients(train.Images, train.Labels);

        History history = network.Fit(train, epochs: 10, BatchSize, new Sgd(learningRate: 0.1f));

        Assert.Equal(10, history.Epochs.Count);
        Assert.Equal(Enumerable.Range(1, 10), history.Epochs.Select(e => e.Epoch));
        Assert.All(history.Epochs, e => Assert.Equal((10, 150), (e.Epochs, e.Samples)));
        double first = history.Epochs[0].TrainLoss, last = history.Epochs[^1].TrainLoss;
        Assert.True(first < before, $"first epoch's loss {first} is not below the untrained loss {before}");
        Assert.True(last < first / 4, $"loss went from {first} to {last} only");

        Evaluation evaluation = network.Evaluate(SyntheticData.Clusters(PerClass, seed: 99));
        Assert.True(evaluation.Accuracy >= 0.97, $"accuracy {evaluation.Accuracy}");
        Assert.True(evaluation.Loss < first, $"held-out loss {evaluation.Loss}");
    }

    [Fact]
    public void Epoch_loss_is_the_batch_losses_weighted_by_batch_size()
    {
        Dataset train = SyntheticData.Clusters(PerClass);
        var network = new SoftmaxRegression();

        History history = network.Fit(train, epochs: 2, BatchSize, new Adam(learningRate: 0.05f));

        // Nine batches of 16 and a last, partial one of 6 in every epoch: Keras keeps the remainder.
        int[] epochBatches = [16, 16, 16, 16, 16, 16, 16, 16, 16, 6];
        Assert.Equal(epochBatches.Concat(epochBatches), network.StepBatchSizes);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            double weighted = 0;
            for (int b = 0; b < epochBatches.Length; b++)
            {
                weighted += (double)network.StepLosses[epoch * epochBatches.Length + b] * epochBatches[b];
            }
            Assert.Equal(weighted / 150, history.Epochs[epoch].TrainLoss, 12);
        }
    }

    [Fact]
    public void A_batch_larger_than_the_dataset_trains_on_all_samples_at_once()
    {
        var network = new SoftmaxRegression();
        network.Fit(SyntheticData.Clusters(PerClass), epochs: 2, batchSize: 1000, new Sgd());
        Assert.Equal([150, 150], network.StepBatchSizes);
    }

    [Fact]
    public void The_same_shuffle_seed_gives_identical_parameters_and_another_seed_different_ones()
    {
        float[] a = TrainedParameters(new FitOptions { ShuffleSeed = 5 });
        float[] b = TrainedParameters(new FitOptions { ShuffleSeed = 5 });
        float[] c = TrainedParameters(new FitOptions { ShuffleSeed = 6 });
        float[] unshuffled = TrainedParameters(new FitOptions { Shuffle = false });

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, unshuffled);
        Assert.Equal(unshuffled, TrainedParameters(new FitOptions { Shuffle = false, ShuffleSeed = 123 }));
    }

    // At most 20 evenly spaced reports per epoch, every ceil(batches / 20)-th batch, plus the last batch.
    [Theory]
    [InlineData(16, 10)] // 10 batches: every one
    [InlineData(4, 19)] // 38 batches: every 2nd, the 19th of which is the last
    [InlineData(3, 17)] // 50 batches: every 3rd (16 reports) plus the 50th
    [InlineData(2, 19)] // 75 batches: every 4th (18 reports) plus the 75th
    [InlineData(1, 19)] // 150 batches: every 8th (18 reports) plus the 150th
    [InlineData(150, 1)]
    [InlineData(500, 1)]
    public void Batch_progress_is_reported_about_20_times_per_epoch_including_the_last_batch(int batchSize, int reportsPerEpoch)
    {
        Dataset train = SyntheticData.Clusters(PerClass);
        int batches = (train.Count + batchSize - 1) / batchSize;
        var progress = new RecordingProgress<BatchProgress>();
        new SoftmaxRegression().Fit(train, epochs: 2, batchSize, new Sgd(), new FitOptions { BatchProgress = progress });

        Assert.Equal(2 * reportsPerEpoch, progress.Reports.Count);
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            BatchProgress[] reports = progress.Reports.Where(r => r.Epoch == epoch).ToArray();
            Assert.Equal(reportsPerEpoch, reports.Length);
            Assert.All(reports, r => Assert.Equal((2, batches), (r.Epochs, r.Batches)));
            Assert.All(reports, r => Assert.Equal(Math.Min(r.Batch * batchSize, train.Count), r.Samples));
            Assert.True(reports.Zip(reports.Skip(1)).All(pair => pair.First.Batch < pair.Second.Batch), "batches out of order");
            Assert.Equal(batches, reports[^1].Batch);
            Assert.Equal(train.Count, reports[^1].Samples);
        }
    }

    [Fact]
    public void Last_batch_report_carries_the_epoch_loss()
    {
        var batchProgress = new RecordingProgress<BatchProgress>();
        var epochProgress = new RecordingProgress<EpochResult>();
        History history = new SoftmaxRegression().Fit(
            SyntheticData.Clusters(PerClass), epochs: 3, BatchSize, new Sgd(),
            new FitOptions { BatchProgress = batchProgress, EpochProgress = epochProgress });

        Assert.Equal(history.Epochs, epochProgress.Reports);
        Assert.Equal([1, 2, 3], epochProgress.Reports.Select(r => r.Epoch));
        foreach (EpochResult epoch in history.Epochs)
        {
            BatchProgress last = batchProgress.Reports.Last(r => r.Epoch == epoch.Epoch);
            Assert.Equal(epoch.TrainLoss, last.Loss, 12);
            Assert.True(last.Elapsed <= epoch.Elapsed);
        }
    }

    [Fact]
    public void Validation_data_is_evaluated_after_every_epoch()
    {
        Dataset validation = SyntheticData.Clusters(10, seed: 3);
        var network = new SoftmaxRegression();
        History history = network.Fit(SyntheticData.Clusters(PerClass), epochs: 2, BatchSize, new Sgd(0.1f), new FitOptions { Validation = validation });

        Evaluation after = network.Evaluate(validation);
        Assert.Equal(after.Loss, history.Epochs[^1].ValidationLoss);
        Assert.Equal(after.Accuracy, history.Epochs[^1].ValidationAccuracy);
        Assert.NotNull(history.Epochs[0].ValidationLoss);
        Assert.Null(new SoftmaxRegression().Fit(validation, 1, BatchSize, new Sgd()).Epochs[0].ValidationLoss);
    }

    [Fact]
    public void A_dataset_of_another_sample_size_is_rejected_naming_both_sizes()
    {
        Dataset wide = SyntheticData.Clusters(5, features: 5);

        var error = Assert.Throws<ArgumentException>(() => new SoftmaxRegression().Fit(wide, 1, BatchSize, new Sgd()));

        Assert.Equal("train", error.ParamName);
        Assert.Contains("samples have 5 floats (1x1x5)", error.Message);
        Assert.Contains("SoftmaxRegression.InputSize is 4", error.Message);
    }

    [Fact]
    public void A_validation_set_of_another_sample_size_is_rejected_before_training()
    {
        var network = new SoftmaxRegression();
        var options = new FitOptions { Validation = SyntheticData.Clusters(5, features: 5) };

        var error = Assert.Throws<ArgumentException>(() => network.Fit(SyntheticData.Clusters(PerClass), 1, BatchSize, new Sgd(), options));

        Assert.Contains("InputSize is 4", error.Message);
        Assert.Empty(network.StepBatchSizes);
    }

    [Fact]
    public void Labels_the_network_cannot_output_are_rejected()
    {
        var data = new Dataset(new float[8], [0, 3], 1, 1, 4);
        var error = Assert.Throws<ArgumentException>(() => new SoftmaxRegression().Fit(data, 1, BatchSize, new Sgd()));
        Assert.Contains("4 classes", error.Message);
        Assert.Contains("OutputSize 3", error.Message);
    }

    [Theory]
    [InlineData(0, 16, "epochs")]
    [InlineData(1, 0, "batchSize")]
    public void Epochs_and_batch_size_must_be_positive(int epochs, int batchSize, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new SoftmaxRegression().Fit(SyntheticData.Clusters(PerClass), epochs, batchSize, new Sgd()));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void An_inference_only_network_cannot_be_trained()
    {
        var error = Assert.Throws<NotSupportedException>(
            () => new SoftmaxRegression(loss: null).Fit(SyntheticData.Clusters(PerClass), 1, BatchSize, new Sgd()));
        Assert.Contains("SoftmaxRegression declares no [Loss", error.Message);
    }

    private static float[] TrainedParameters(FitOptions options)
    {
        var network = new SoftmaxRegression(seed: 2);
        network.Fit(SyntheticData.Clusters(PerClass), epochs: 3, BatchSize, new Sgd(0.1f, momentum: 0.9f), options);
        return network.Parameters.ToArray();
    }
}
