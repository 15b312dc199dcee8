from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes and highlight reports"

    def ready(self):
        from core.services import register_services
        from core.tracking import register
        from programmes import services
        from programmes.models import Programme, Project, Workstream
        from programmes.tracking import MILESTONE, PROJECT

        register(PROJECT)
        register(MILESTONE)
        register_services(
            Programme, create=services.create_programme, update=services.update_programme, arg="programme"
        )
        register_services(
            Workstream, create=services.create_workstream, update=services.update_workstream, arg="workstream"
        )
        register_services(Project, create=services.create_project, update=services.update_project, arg="project")
        # Milestones and the risk and issue register.
        from programmes.models import Milestone, Risk

        register_services(
            Milestone, create=services.create_milestone, update=services.update_milestone, arg="milestone"
        )
        register_services(Risk, create=services.create_risk, update=services.update_risk, arg="risk")
        # Funding, benefits and savings, partner organisations.
        from programmes.models import Benefit, BenefitRealisation, Funder, Partner, Partnership

        register_services(Funder, create=services.create_funder, update=services.update_funder, arg="funder")
        register_services(Benefit, create=services.create_benefit, update=services.update_benefit, arg="benefit")
        register_services(
            BenefitRealisation,
            create=services.create_realisation,
            update=services.update_realisation,
            arg="realisation",
        )
        register_services(Partner, create=services.create_partner, update=services.update_partner, arg="partner")
        register_services(
            Partnership, create=services.create_partnership, update=services.update_partnership, arg="partnership"
        )
        # The programme's spreadsheet imports (programmes.imports).
        from core.imports import register_kind
        from programmes.imports import KINDS

        for kind in KINDS:
            register_kind(kind)
