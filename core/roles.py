"""The four roles, by name. What each may do across the apps (their model
permissions) is workspace.roles, which sits above every app it names;
object-level rules (an officer may only update what they or their team own,
a manager only within their programmes) are on the models and in each app's
access helpers.
"""

OFFICER = "Officer"
PROGRAMME_MANAGER = "Programme manager"
COMMITTEE_CLERK = "Committee clerk"
ADMINISTRATOR = "Administrator"

ROLES = [OFFICER, PROGRAMME_MANAGER, COMMITTEE_CLERK, ADMINISTRATOR]
