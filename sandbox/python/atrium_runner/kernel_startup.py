"""Run in the kernel at start (IPKernelApp.exec_files): what Atrium's sandboxes change in IPython."""


def _atrium_setup():
    import sys

    from IPython import get_ipython

    shell = get_ipython()
    no_network = (
        "Sandboxes have no network, so {tool} cannot download packages. The sandbox carries transformers, torch "
        "(CPU), tokenizers, safetensors, huggingface_hub, datasets, numpy, pandas, matplotlib, scikit-learn, "
        "pillow and tqdm; `import` them directly."
    )

    def pip(line=""):
        print(no_network.format(tool="%pip"), file=sys.stderr)

    def conda(line=""):
        print(no_network.format(tool="%conda"), file=sys.stderr)

    shell.register_magic_function(pip, "line", "pip")
    shell.register_magic_function(conda, "line", "conda")


_atrium_setup()
del _atrium_setup
