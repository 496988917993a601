"""Rule modules, one per record kind. Importing this package registers every rule."""

from zhixing.rules import directives, documents, fault_tolerance, inspections, lawsuits, meetings, services, tasks, units

ALL_MODULES = (directives, documents, fault_tolerance, inspections, lawsuits, meetings, services, tasks, units)
