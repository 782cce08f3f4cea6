using System;
using System.IO;
using Xunit;

namespace CompiledNets.Tests.EndToEnd;

/// <summary>The FashionMnist sample finds its data as documented, or says clearly how to get it.</summary>
public sealed class FashionMnistSampleTests
{
    [Fact]
    public void Missing_data_is_a_clear_message_with_the_fix_not_a_crash()
    {
        string nowhere = Path.Combine(Path.GetTempPath(), $"compilednets-no-data-{Guid.NewGuid():N}");
        var (exitCode, output) = SampleRun.Run(SampleRun.Assembly("FashionMnist"), $"--data \"{nowhere}\"");

        Assert.Equal(2, exitCode);
        Assert.Contains($"Fashion-MNIST not found in {nowhere} (--data)", output, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte.gz", output, StringComparison.Ordinal);
        Assert.Contains("apt-get install dataset-fashion-mnist", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_variable_is_read_when_there_is_no_option()
    {
        string nowhere = Path.Combine(Path.GetTempPath(), $"compilednets-no-data-{Guid.NewGuid():N}");
        var (exitCode, output) = SampleRun.Run(SampleRun.Assembly("FashionMnist"), "", new() { ["FASHION_MNIST_DIR"] = nowhere });

        Assert.Equal(2, exitCode);
        Assert.Contains($"Fashion-MNIST not found in {nowhere} ($FASHION_MNIST_DIR)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void It_trains_and_reports_its_test_accuracy_on_IDX_files_in_the_data_folder()
    {
        string data = SampleRun.FashionMnistLookalike();
        try
        {
            var (exitCode, output) = SampleRun.Run(SampleRun.Assembly("FashionMnist"), $"--data \"{data}\" --epochs 1 --train 2048");
            Assert.True(exitCode == 0, output);
            // 2,048 training digits for one epoch: far from converged, but far above chance (0.1).
            string last = output.TrimEnd().Split('\n')[^1];
            Assert.StartsWith("test accuracy: ", last, StringComparison.Ordinal);
            Assert.InRange(double.Parse(last["test accuracy: ".Length..], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
