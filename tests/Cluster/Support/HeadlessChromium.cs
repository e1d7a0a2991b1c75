using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SmmuActors.Tests.Support;

/// <summary>
/// A page as a user's browser renders it: headless Chromium loads it, runs its scripts for a few
/// seconds of virtual time, and gives back the DOM's text. A missing chromium fails the test: .ci/run installs it.
/// </summary>
public static partial class HeadlessChromium
{
    /// <summary>
    /// The page's text once it shows <paramref name="loaded"/>, as a user waits for a page to fill: the scripts' virtual
    /// time runs ahead of the real requests they make to the silo, so on a busy machine one render can end before the
    /// data came (the dashboard's title alone). Rendered again until it shows it or <paramref name="cancel"/> fires;
    /// the last text is returned either way, for the test's assertions to show.
    /// </summary>
    public static async Task<string> RenderedTextAsync(string url, Func<string, bool> loaded, CancellationToken cancel)
    {
        while (true)
        {
            string text = await RenderedTextAsync(url, cancel);
            if (loaded(text)) return text;
            try { await Task.Delay(TimeSpan.FromSeconds(1), cancel); }
            catch (OperationCanceledException) { return text; }
        }
    }

    public static async Task<string> RenderedTextAsync(string url, CancellationToken cancel)
    {
        string profile = Directory.CreateTempSubdirectory("smmu-chromium-").FullName;
        var info = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", url })
            info.ArgumentList.Add(a);
        Process browser;
        try
        {
            browser = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("chromium is not installed; .ci/run installs it (apt-get install -y chromium)", e);
        }
        using (browser)
        {
            try
            {
                var dom = browser.StandardOutput.ReadToEndAsync(cancel);
                _ = browser.StandardError.ReadToEndAsync(cancel);
                await browser.WaitForExitAsync(cancel);
                return Spaces().Replace(Tags().Replace(await dom, " "), " ");
            }
            finally
            {
                if (!browser.HasExited) browser.Kill(entireProcessTree: true);
                Directory.Delete(profile, recursive: true);
            }
        }
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
