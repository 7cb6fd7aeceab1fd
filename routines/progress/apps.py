from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """The progression engine, its suggestions, and the figures and charts of /progress/.

    No models of its own: it reads the log (`training`) and the plans (`plans`), and
    records an applied suggestion as the plans' `DoseChange`.
    """

    name = "routines.progress"
    label = "progress"
    verbose_name = "Progress"
