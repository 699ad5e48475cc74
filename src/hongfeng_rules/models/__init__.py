"""Domain models (pydantic v2) for everything chapters 5–7 of the standard talk about."""
from .activities import Activity, Meeting, Participation, Training
from .casework import (AssistanceCase, Complaint, ComplaintFile, Dispute, FollowUp, Hazard,
                       ImprovementItem, Inspection, PatrolReport, PatrolSignIn)
from .community import (AuxiliaryPost, CommitteeMember, GroupMember, OnlineGroup, Patrol, PatrolMember,
                        PatrolTeam, PatrolTeamCheck, Place, SecurityCommittee)
from .emergency import EmergencyUnit, Incident, PoliticalReview, Workstation
from .dataset import COLLECTIONS, KIND_TO_COLLECTION, Collection, Dataset
from .members import Certificate, EquipmentIssue, InsuranceCover, Member, MemberFile
from .organisation import Association, CoreService, PartyBranch, Team, Unit
from .scoring import Evidence, PointsEntry, TeamScore

__all__ = [
    "Activity", "Association", "AssistanceCase", "COLLECTIONS", "Certificate", "Collection", "Complaint",
    "ComplaintFile", "CoreService", "Dataset", "Dispute", "EquipmentIssue", "Evidence", "FollowUp", "Hazard",
    "ImprovementItem", "Inspection", "InsuranceCover", "KIND_TO_COLLECTION", "Meeting", "Member", "MemberFile",
    "Participation", "PartyBranch", "PatrolReport", "PatrolSignIn", "PointsEntry", "Team", "TeamScore",
    "Training", "Unit",
    "AuxiliaryPost", "CommitteeMember", "GroupMember", "OnlineGroup", "Patrol", "PatrolMember", "PatrolTeam",
    "PatrolTeamCheck", "Place", "SecurityCommittee",
    "EmergencyUnit", "Incident", "PoliticalReview", "Workstation",
]
